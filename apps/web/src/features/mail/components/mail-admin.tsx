import { useId, useState, type FormEvent } from 'react';
import { Link } from 'react-router';
import { useStepUpGate } from '../../../components/step-up-gate';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useToast } from '../../../components/ui/toast';
import { paths } from '../../../config/paths';
import { isApiError } from '../../../lib/api-client';
import { countOf, formatCount } from '../../../lib/format';
import { formatTime } from '../../../lib/time';
import {
  useMailSettings,
  useOutbox,
  useRetryMail,
  useUpdateMailSettings,
  type MailSettings,
  type MailStatus,
  type Outbox,
  type OutboxMessage,
} from '../api/mail';

const STATUS_LABEL: Record<MailStatus, string> = {
  queued: 'Queued',
  sending: 'Sending',
  sent: 'Sent',
  failed: 'Failed',
  unconfirmed: 'Unconfirmed',
};
const STATUS_ORDER: readonly MailStatus[] = ['queued', 'sending', 'sent', 'failed', 'unconfirmed'];
const KIND_LABEL: Record<OutboxMessage['kind'], string> = {
  removal_notice: 'Removal notice',
  verification_code: 'Verification code',
  enrollment_reminder: 'Enrollment reminder',
};

/** `/mail` (admin): how mail goes, the outbox with retries, and what the notices say. */
export function MailAdmin() {
  const [status, setStatus] = useState<MailStatus | undefined>(undefined);
  const outbox = useOutbox(status);
  return (
    <div className="stack">
      <h1>Mail</h1>
      {outbox.isError ? (
        <ErrorPanel error={outbox.error} onRetry={() => void outbox.refetch()} />
      ) : !outbox.data ? (
        <Loading label="Loading the outbox…" />
      ) : (
        <>
          <Delivery outbox={outbox.data} />
          <OutboxList outbox={outbox.data} status={status} onStatus={setStatus} />
        </>
      )}
      <SettingsForm />
    </div>
  );
}

function Delivery({ outbox }: { outbox: Outbox }) {
  const { counts } = outbox;
  return (
    <section className="card stack" aria-labelledby="mail-delivery">
      <h2 id="mail-delivery">Delivery</h2>
      <p data-testid="mail-mode">
        {outbox.mode === 'smtp'
          ? `Mail goes through your mail server, from ${outbox.from ?? 'the configured sender'}.`
          : outbox.mode === 'demo'
            ? 'Demo mode: mail goes to the console’s own mailbox, not to anyone’s inbox.'
            : 'Mail is off: no verification codes and no notices are sent. Set SMTP_URL and SMTP_FROM to turn it on.'}
        {outbox.mode === 'demo' ? (
          <>
            {' '}
            <Link to={paths.mailbox}>Open the demo mailbox</Link>.
          </>
        ) : null}
      </p>
      <p className="muted">
        {STATUS_ORDER.map(
          (s) => `${formatCount(counts[s] ?? 0)} ${STATUS_LABEL[s].toLowerCase()}`,
        ).join(' · ')}
      </p>
      {(counts.unconfirmed ?? 0) > 0 ? (
        <p className="muted small">
          Unconfirmed: the console stopped while handing the message over, so it may have been sent.
          It is never sent again on its own; retry it if the holder did not get it.
        </p>
      ) : null}
    </section>
  );
}

function OutboxList({
  outbox,
  status,
  onStatus,
}: {
  outbox: Outbox;
  status: MailStatus | undefined;
  onStatus: (status: MailStatus | undefined) => void;
}) {
  const filterId = useId();
  return (
    <section className="card stack" aria-labelledby="mail-outbox">
      <h2 id="mail-outbox">Outbox</h2>
      <label className="field inline" htmlFor={filterId}>
        <span>Show</span>
        <select
          id={filterId}
          value={status ?? ''}
          onChange={(event) =>
            onStatus((event.target.value || undefined) as MailStatus | undefined)
          }
        >
          <option value="">All messages</option>
          {STATUS_ORDER.map((s) => (
            <option key={s} value={s}>
              {STATUS_LABEL[s]} ({formatCount(outbox.counts[s] ?? 0)})
            </option>
          ))}
        </select>
      </label>
      {outbox.messages.length === 0 ? (
        <p className="muted">
          {status ? 'No message has this status.' : 'No mail has been sent yet.'}
        </p>
      ) : (
        <ul className="mail-list" aria-label="Messages">
          {outbox.messages.map((message) => (
            <MessageCard key={message.id} message={message} />
          ))}
        </ul>
      )}
      {outbox.messages.length >= 200 ? (
        <p className="muted small">The newest 200 are shown.</p>
      ) : null}
    </section>
  );
}

function MessageCard({ message }: { message: OutboxMessage }) {
  const retry = useRetryMail();
  const toast = useToast();
  const retriable =
    (message.status === 'failed' || message.status === 'unconfirmed') &&
    message.kind !== 'verification_code';
  return (
    <li className="mail-card" aria-label={`${message.subject} to ${message.to}`}>
      <div className="mail-card-head">
        <strong>{message.subject}</strong>
        <span className={`badge mail-${message.status}`}>{STATUS_LABEL[message.status]}</span>
      </div>
      <p className="small">
        {KIND_LABEL[message.kind]} to {message.to}
        {message.account
          ? ` (account ${message.account}${message.serverId ? ` on ${message.serverId}` : ''})`
          : ''}
      </p>
      <p className="muted small">
        Queued {formatTime(message.createdAt)}
        {message.sentAt ? ` · sent ${formatTime(message.sentAt)}` : ''}
        {message.attempts > 0 ? ` · ${countOf(message.attempts, 'try', 'tries')}` : ''}
        {message.status === 'queued' && message.attempts > 0
          ? ` · next ${formatTime(message.nextAttemptAt)}`
          : ''}
      </p>
      {message.lastError ? <p className="small form-error">{message.lastError}</p> : null}
      {message.kind === 'verification_code' &&
      message.status !== 'sent' &&
      message.status !== 'queued' ? (
        <p className="muted small">A code is not sent again: support sends a new one.</p>
      ) : null}
      {retriable ? (
        <div className="actions">
          <button
            type="button"
            disabled={retry.isPending}
            onClick={() =>
              retry.mutate(message.id, {
                onSuccess: () => toast(`Queued again: ${message.subject} to ${message.to}.`),
                onError: (error) => toast(`Not queued: ${error.message}`),
              })
            }
          >
            {retry.isPending ? 'Queuing…' : 'Send again'}
          </button>
        </div>
      ) : null}
    </li>
  );
}

function SettingsForm() {
  const settings = useMailSettings();
  if (settings.isError) {
    return <ErrorPanel error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  if (!settings.data) return <Loading label="Loading the mail settings…" />;
  return <SettingsEditor saved={settings.data} />;
}

function SettingsEditor({ saved }: { saved: MailSettings }) {
  const update = useUpdateMailSettings();
  const gate = useStepUpGate();
  const toast = useToast();
  // Only what the admin changed: a save elsewhere (another tab, another admin) shows through.
  const [changes, setChanges] = useState<Partial<MailSettings>>({});
  const draft: MailSettings = { ...saved, ...changes };
  const changed = (Object.keys(changes) as (keyof MailSettings)[]).filter(
    (k) => changes[k] !== saved[k],
  );
  const dirty = changed.length > 0;
  const error = isApiError(update.error) ? update.error : null;
  const field = (name: keyof MailSettings) => (error?.field === name ? error : null);
  const general = error && error.code !== 'step_up_required' && !error.field ? error : null;
  const set = <K extends keyof MailSettings>(key: K, value: MailSettings[K]) =>
    setChanges((current) => ({ ...current, [key]: value }));

  function save(event?: FormEvent) {
    event?.preventDefault();
    const body = Object.fromEntries(changed.map((k) => [k, draft[k]])) as Partial<MailSettings>;
    update.mutate(body, {
      onSuccess: () => {
        setChanges({});
        toast('Mail settings saved.');
      },
      onError: gate.onError(() => save()),
    });
  }

  const subjectOk = draft.noticeSubject.trim().length > 0;
  return (
    <section className="card stack" aria-labelledby="mail-settings">
      <h2 id="mail-settings">Caller verification and notices</h2>
      <form className="stack" onSubmit={save} aria-label="Mail settings">
        <fieldset className="choices">
          <legend>Before support removes 2FA</legend>
          <label className="choice">
            <input
              type="radio"
              name="callerVerification"
              checked={draft.callerVerification === 'optional'}
              onChange={() => set('callerVerification', 'optional')}
            />
            <span>Support may verify the caller (recommended, not enforced)</span>
          </label>
          <label className="choice">
            <input
              type="radio"
              name="callerVerification"
              checked={draft.callerVerification === 'required'}
              onChange={() => set('callerVerification', 'required')}
            />
            <span>Support must verify the caller</span>
          </label>
          <label className="choice">
            <input
              type="checkbox"
              name="ticketVerification"
              checked={draft.ticketVerification}
              onChange={(event) => set('ticketVerification', event.target.checked)}
            />
            <span>Also accept “verified in the ticket system”, with the ticket reference</span>
          </label>
          <p className="muted small">
            Making verification easier (optional again, or accepting tickets) asks you to confirm it
            is you.
          </p>
        </fieldset>
        <label className="field">
          <span>Notice subject</span>
          <input
            name="noticeSubject"
            maxLength={150}
            value={draft.noticeSubject}
            aria-invalid={!subjectOk || field('noticeSubject') !== null}
            onChange={(event) => set('noticeSubject', event.target.value)}
          />
        </label>
        <p className="muted small">
          {'{account}'} and {'{host}'} are filled in. Never the operator’s reason.
        </p>
        <FormError error={field('noticeSubject')} />
        <label className="field">
          <span>Your paragraph in the notice (optional)</span>
          <textarea
            name="noticeParagraph"
            rows={3}
            maxLength={1000}
            value={draft.noticeParagraph}
            onChange={(event) => set('noticeParagraph', event.target.value)}
          />
        </label>
        <FormError error={field('noticeParagraph')} />
        <label className="field">
          <span>Whom holders contact if they did not ask for it (optional)</span>
          <input
            name="contact"
            maxLength={200}
            placeholder="support@example.com or +1 555 0100"
            value={draft.contact}
            onChange={(event) => set('contact', event.target.value)}
          />
        </label>
        <FormError error={field('contact')} />
        <label className="field">
          <span>Host name in messages (optional; else the server’s 2FA issuer)</span>
          <input
            name="hostName"
            maxLength={100}
            value={draft.hostName}
            onChange={(event) => set('hostName', event.target.value)}
          />
        </label>
        <FormError error={field('hostName')} />
        <FormError error={general} />
        <div className="actions">
          <button
            type="button"
            disabled={!dirty || update.isPending}
            onClick={() => setChanges({})}
          >
            Undo changes
          </button>
          <button
            type="submit"
            className="primary"
            disabled={!dirty || !subjectOk || update.isPending}
          >
            {update.isPending ? 'Saving…' : 'Save'}
          </button>
        </div>
      </form>
      {gate.dialog}
    </section>
  );
}
