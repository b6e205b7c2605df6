import { TOTP } from '@console/whm-api/rules';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { QRCodeSVG } from 'qrcode.react';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import type { ApiError } from '../../lib/api-client';
import { useToast } from '../ui/toast';

export interface TotpSecret {
  secret: string;
  otpauthUri: string;
}

export interface TotpWizardProps {
  /** Keys this wizard's mutations so they can be dropped, secret and all, when it unmounts. */
  name: string;
  /** Who the code is for, as the operator knows it ("the WHM user root", "your console sign-in"). */
  subject: string;
  generate: () => Promise<TotpSecret>;
  confirm: (input: { secret: string; code: string }) => Promise<unknown>;
  /** Error codes that mean "this code is not the right one" rather than a broken request. */
  wrongCodeCodes?: readonly string[];
  successMessage: string;
  onDone?: () => void;
}

export function secretGroups(secret: string): string {
  return (secret.match(/.{1,4}/g) ?? []).join(' ');
}

/** "ISSUER:user" from `otpauth://totp/ISSUER:user?...`, as an authenticator app lists it. */
export function otpauthLabel(uri: string): string {
  const path = uri.replace(/^otpauth:\/\/totp\//, '').split('?')[0] ?? '';
  try {
    return decodeURIComponent(path);
  } catch {
    return path;
  }
}

function secondsLeft(): number {
  return TOTP.periodSeconds - (Math.floor(Date.now() / 1000) % TOTP.periodSeconds);
}

function useTotpCountdown(): number {
  const [seconds, setSeconds] = useState(secondsLeft);
  useEffect(() => {
    const timer = setInterval(() => setSeconds(secondsLeft()), 1000);
    return () => clearInterval(timer);
  }, []);
  return seconds;
}

export default function TotpWizard({
  name,
  subject,
  generate,
  confirm,
  wrongCodeCodes = ['whm_refused', 'invalid_credentials'],
  successMessage,
  onDone,
}: TotpWizardProps) {
  const queryClient = useQueryClient();
  const generateKey = ['totp-wizard', name, 'generate'];
  const confirmKey = ['totp-wizard', name, 'confirm'];
  // The secret lives in these mutations' results only: gcTime 0 and the cleanup below make sure
  // nothing of it stays in the mutation cache once the wizard is gone.
  const generation = useMutation({ mutationKey: generateKey, mutationFn: generate, gcTime: 0 });
  const confirmation = useMutation({ mutationKey: confirmKey, mutationFn: confirm, gcTime: 0 });

  useEffect(() => {
    const cache = queryClient.getMutationCache();
    return () => {
      for (const mutation of cache.findAll({ mutationKey: ['totp-wizard', name] })) {
        cache.remove(mutation);
      }
    };
  }, [queryClient, name]);

  if (confirmation.isSuccess) {
    return (
      <section className="wizard stack" aria-label="Two-factor setup">
        <p className="success" role="status">
          {successMessage}
        </p>
        {onDone ? (
          <button type="button" className="primary" onClick={onDone}>
            Continue
          </button>
        ) : null}
      </section>
    );
  }

  if (!generation.data) {
    return (
      <section className="wizard stack" aria-label="Two-factor setup">
        <p>
          Step 1 of 2: create a new secret for {subject}. You will scan it with an authenticator app
          and type the code it shows.
        </p>
        {generation.error ? (
          <p className="form-error" role="alert">
            {generation.error.message}
          </p>
        ) : null}
        <div className="actions">
          <button
            type="button"
            className="primary"
            disabled={generation.isPending}
            onClick={() => generation.mutate()}
          >
            {generation.isPending ? 'Generating…' : 'Generate secret'}
          </button>
        </div>
      </section>
    );
  }

  return (
    <ScanStep
      key={generation.data.secret}
      setup={generation.data}
      subject={subject}
      error={confirmation.error}
      wrongCode={!!confirmation.error && wrongCodeCodes.includes(confirmation.error.code)}
      pending={confirmation.isPending}
      onSubmit={(code, onWrongCode) =>
        confirmation.mutate(
          { secret: generation.data.secret, code },
          { onError: (error) => wrongCodeCodes.includes(error.code) && onWrongCode() },
        )
      }
      onRestart={() => {
        confirmation.reset();
        generation.mutate();
      }}
      restarting={generation.isPending}
    />
  );
}

interface ScanStepProps {
  setup: TotpSecret;
  subject: string;
  error: ApiError | null;
  wrongCode: boolean;
  pending: boolean;
  restarting: boolean;
  onSubmit: (code: string, onWrongCode: () => void) => void;
  onRestart: () => void;
}

function ScanStep({
  setup,
  subject,
  error,
  wrongCode,
  pending,
  restarting,
  onSubmit,
  onRestart,
}: ScanStepProps) {
  const toast = useToast();
  const seconds = useTotpCountdown();
  const [code, setCode] = useState('');
  const codeInput = useRef<HTMLInputElement>(null);
  const hintId = useId();
  const errorId = useId();
  const label = otpauthLabel(setup.otpauthUri);
  const complete = code.length === TOTP.digits;

  function submit(event: FormEvent) {
    event.preventDefault();
    // A refused code is of no more use: clear it and put the cursor back for the next one.
    if (complete)
      onSubmit(code, () => {
        setCode('');
        codeInput.current?.focus();
      });
  }

  async function copySecret() {
    try {
      await navigator.clipboard.writeText(setup.secret);
      toast('Secret copied to the clipboard.');
    } catch {
      toast('Copying is not available here: select the secret and copy it by hand.');
    }
  }

  return (
    <section className="wizard stack" aria-label="Two-factor setup">
      <p>
        Step 2 of 2: scan this code with an authenticator app for {subject}, or type the secret in
        by hand.
      </p>
      <div className="wizard-grid">
        <figure className="qr">
          <QRCodeSVG
            value={setup.otpauthUri}
            size={224}
            marginSize={2}
            level="M"
            title={`QR code for ${label}`}
            role="img"
            aria-label={`QR code for ${label}`}
          />
          <figcaption>{label}</figcaption>
        </figure>
        <div className="stack">
          <div>
            <p className="muted small" id={`${hintId}-secret`}>
              Secret key
            </p>
            <p className="secret" aria-labelledby={`${hintId}-secret`}>
              <code>{secretGroups(setup.secret)}</code>
            </p>
            <button type="button" onClick={() => void copySecret()}>
              Copy secret
            </button>
          </div>
          <div className="countdown">
            <progress
              max={TOTP.periodSeconds}
              value={seconds}
              aria-label="Time left for the current code"
            />
            <span>
              Codes change every {TOTP.periodSeconds} seconds: this one for {seconds} s more.
            </span>
          </div>
          <form className="stack" onSubmit={submit} aria-label="Verify code">
            <label className="field">
              <span>6-digit code from the app</span>
              <input
                ref={codeInput}
                name="code"
                autoComplete="one-time-code"
                inputMode="numeric"
                pattern="[0-9]{6}"
                required
                value={code}
                aria-invalid={wrongCode || undefined}
                aria-describedby={error ? errorId : undefined}
                onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
              />
            </label>
            <div className="actions">
              <button type="button" onClick={onRestart} disabled={pending || restarting}>
                New secret
              </button>
              <button type="submit" className="primary" disabled={!complete || pending}>
                {pending ? 'Verifying…' : 'Verify and turn on'}
              </button>
            </div>
            {/* Below the buttons: an error appearing moves nothing the operator is using. */}
            {error ? (
              <div className="form-error" role="alert" id={errorId}>
                {wrongCode ? (
                  <>
                    <p>That code was not accepted: {error.message}</p>
                    <p>
                      Type the code the app shows now. If it keeps failing, check that this
                      device&apos;s clock is set automatically: codes depend on the exact time. The
                      secret above stays the same.
                    </p>
                  </>
                ) : (
                  <p>{error.message}</p>
                )}
              </div>
            ) : null}
          </form>
        </div>
      </div>
    </section>
  );
}
