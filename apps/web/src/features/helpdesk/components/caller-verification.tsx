import { useEffect, useId, useRef, useState } from 'react';
import { FormError } from '../../../components/ui/error-panel';
import { isApiError } from '../../../lib/api-client';
import { formatClock } from '../../../lib/format';
import { useOperator } from '../../../lib/operator';
import { useMailInfo, type MailInfo } from '../../mail/api/mail';
import { useCheckCode, useSendCode, type SentCode } from '../api/verifications';

export type VerificationMethod = 'email_code' | 'ticket' | 'none';

/** What the removal's body says of the caller: the checked code's id, or the ticket reference. */
export type GivenVerification = { method: 'email_code' | 'ticket'; ref: string } | null;

export interface VerificationState {
  given: GivenVerification;
  /** Whether the removal may go ahead as far as the caller's verification goes. */
  ready: boolean;
}

interface CallerVerificationProps {
  server: string;
  users: readonly string[];
  onChange: (state: VerificationState) => void;
}

/** Codes the caller cannot recover from by typing again: a new code is the way on. */
const DEAD_CODE = ['code_expired', 'too_many_tries', 'verification_invalid', 'not_found'];

function methodsFor(info: MailInfo, single: boolean, required: boolean): VerificationMethod[] {
  const methods: VerificationMethod[] = [];
  if (single && info.mode !== 'off') methods.push('email_code');
  if (info.ticketVerification) methods.push('ticket');
  if (!required) methods.push('none');
  return methods;
}

/**
 * The caller's verification before a reset: a code mailed to the account's contact address in
 * WHM and read back by the caller, or (when an admin allows it) a ticket reference. Required for
 * support when the mail settings say so; the audit record says which was used.
 */
export function CallerVerification({ server, users, onChange }: CallerVerificationProps) {
  const operator = useOperator();
  const info = useMailInfo();
  const single = users.length === 1;
  const required = info.data?.callerVerification === 'required' && operator.role === 'support';
  const methods = info.data ? methodsFor(info.data, single, required) : [];
  const [chosen, setChosen] = useState<VerificationMethod | null>(null);
  const method = chosen && methods.includes(chosen) ? chosen : (methods[0] ?? null);
  const [verifiedId, setVerifiedId] = useState<string | null>(null);
  const [ticket, setTicket] = useState('');
  const name = useId();

  const given: GivenVerification =
    method === 'email_code' && verifiedId
      ? { method: 'email_code', ref: verifiedId }
      : method === 'ticket' && ticket.trim()
        ? { method: 'ticket', ref: ticket.trim() }
        : null;
  const ready = info.isSuccess && (given !== null || (method === 'none' && !required));
  const ref = given?.ref ?? '';
  const givenMethod = given?.method ?? null;
  // The parent keeps its own copy (onChange is its state setter): told only on a change.
  useEffect(() => {
    onChange({ given: givenMethod ? { method: givenMethod, ref } : null, ready });
  }, [onChange, givenMethod, ref, ready]);

  if (info.isPending) return <p className="muted">Checking how callers can be verified…</p>;
  if (info.isError) {
    return (
      <p className="form-error" role="alert">
        How callers are verified could not be read: {info.error.message}
      </p>
    );
  }

  const mailOff = info.data.mode === 'off';
  return (
    <fieldset className="choices" aria-describedby={`${name}-why`}>
      <legend>Verify the caller{required ? ' (required)' : ''}</legend>
      <p id={`${name}-why`} className="muted small">
        Removing 2FA lets anyone with the password in. Make sure the caller is the account holder.
      </p>
      {methods.length === 0 ? (
        <p className="form-error" role="alert">
          {single
            ? 'Mail is off, so no code can be sent, and no other way of verifying is allowed: ask an admin.'
            : 'A code verifies one account at a time: remove 2FA from these accounts one by one.'}
        </p>
      ) : null}
      {methods.map((option) => (
        <label key={option} className="choice">
          <input
            type="radio"
            name={name}
            value={option}
            checked={method === option}
            onChange={() => setChosen(option)}
          />
          <span>
            {option === 'email_code'
              ? 'Email a code to the account’s contact address'
              : option === 'ticket'
                ? 'Verified in the ticket system'
                : 'Not verified'}
          </span>
        </label>
      ))}
      {single && mailOff ? (
        <p className="muted small">Mail is off (no SMTP settings): no code can be sent.</p>
      ) : null}
      {!single && info.data.mode !== 'off' ? (
        <p className="muted small">A code verifies one account: it is offered for one at a time.</p>
      ) : null}
      {method === 'email_code' && users[0] ? (
        <EmailCode
          key={`${server}:${users[0]}`}
          server={server}
          user={users[0]}
          verifiedId={verifiedId}
          onVerified={setVerifiedId}
        />
      ) : null}
      {method === 'ticket' ? (
        <label className="field">
          <span>Ticket reference</span>
          <input
            name="ticket"
            maxLength={100}
            value={ticket}
            placeholder="HD-1234"
            onChange={(event) => setTicket(event.target.value)}
          />
        </label>
      ) : null}
      {method === 'none' ? (
        <p className="muted small">The audit record will say the caller was not verified.</p>
      ) : null}
    </fieldset>
  );
}

function EmailCode({
  server,
  user,
  verifiedId,
  onVerified,
}: {
  server: string;
  user: string;
  verifiedId: string | null;
  onVerified: (id: string | null) => void;
}) {
  const send = useSendCode();
  const check = useCheckCode();
  const [sent, setSent] = useState<SentCode | null>(null);
  const [code, setCode] = useState('');
  const [verifiedTo, setVerifiedTo] = useState<string | null>(null);
  const codeField = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const dead = isApiError(check.error, ...DEAD_CODE);
  // The caller reads the code out next: the field is where the typing goes (the button that
  // sent it is gone by then).
  useEffect(() => {
    if (sent) codeField.current?.focus();
  }, [sent]);

  function sendCode() {
    onVerified(null);
    check.reset();
    setCode('');
    send.mutate(
      { server, user },
      {
        onSuccess: (next) => setSent(next),
      },
    );
  }

  function checkCode() {
    if (!sent) return;
    check.mutate(
      { id: sent.id, code },
      {
        onSuccess: (answer) => {
          setVerifiedTo(answer.sentTo);
          onVerified(sent.id);
        },
        onError: () => {
          setCode('');
          codeField.current?.focus();
        },
      },
    );
  }

  if (verifiedId && verifiedTo) {
    return (
      <p className="status-on" role="status">
        ✓ Caller verified by the code sent to {verifiedTo}.
      </p>
    );
  }
  return (
    <div className="stack">
      {sent === null || dead ? (
        <div className="actions">
          <button type="button" onClick={sendCode} disabled={send.isPending}>
            {send.isPending ? 'Sending…' : sent ? 'Send a new code' : 'Send code'}
          </button>
        </div>
      ) : null}
      <FormError error={send.error} />
      {sent ? (
        <>
          <p role="status" className="small">
            Code sent to {sent.sentTo}. Valid until {formatClock(new Date(sent.expiresAt))}; ask the
            caller to read it out.
          </p>
          <label className="field">
            <span>Code the caller reads back</span>
            <input
              ref={codeField}
              name="caller-code"
              inputMode="numeric"
              autoComplete="off"
              pattern="\d{6}"
              maxLength={6}
              value={code}
              aria-describedby={hintId}
              disabled={dead}
              onChange={(event) => setCode(event.target.value.replace(/\D/g, ''))}
              onKeyDown={(event) => {
                // Enter checks the code rather than submitting the removal around it.
                if (event.key === 'Enter') {
                  event.preventDefault();
                  if (code.length === 6) checkCode();
                }
              }}
            />
          </label>
          <p id={hintId} className="muted small">
            6 digits, 5 tries.
          </p>
          <FormError error={check.error} />
          <div className="actions">
            <button
              type="button"
              className="primary"
              onClick={checkCode}
              disabled={code.length !== 6 || check.isPending || dead}
            >
              {check.isPending ? 'Checking…' : 'Check code'}
            </button>
          </div>
        </>
      ) : null}
    </div>
  );
}
