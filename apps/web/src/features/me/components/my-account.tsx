import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useId, useState, type FormEvent } from 'react';
import { TotpWizard } from '../../../components/totp-wizard';
import { FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { NewPasswordInput } from '../../../components/ui/new-password-input';
import { useToast } from '../../../components/ui/toast';
import { confirmOwnTotp, sessionKeys, setupOwnTotp } from '../../../lib/auth';
import { useOperator } from '../../../lib/operator';
import { NEW_PASSWORD_HINT } from '../../../lib/passwords';
import { roleWithArticle } from '../../../lib/roles';
import { useChangePassword } from '../api/change-password';
import { useRemoveOwnTotp } from '../api/remove-own-totp';
import { OwnSessions } from './own-sessions';

export function MyAccount() {
  const operator = useOperator();
  return (
    <div className="stack">
      <h1>My account</h1>
      <p>
        Signed in as <strong>{operator.username}</strong>, {roleWithArticle(operator.role)}.
      </p>
      <ChangePasswordForm />
      <OwnTotp />
      <OwnSessions />
    </div>
  );
}

function ChangePasswordForm() {
  const toast = useToast();
  const change = useChangePassword();
  const [current, setCurrent] = useState('');
  const [next, setNext] = useState('');
  const [repeat, setRepeat] = useState('');
  const hintId = useId();
  const mismatch = repeat !== '' && next !== repeat;

  function submit(event: FormEvent) {
    event.preventDefault();
    if (mismatch) return;
    change.mutate(
      { currentPassword: current, newPassword: next },
      {
        onSuccess: () => {
          toast('Your password is changed. Your other sessions are signed out.');
          setCurrent('');
          setNext('');
          setRepeat('');
        },
      },
    );
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Change password">
      <h2>Change password</h2>
      <label className="field">
        <span>Current password</span>
        <input
          type="password"
          name="currentPassword"
          autoComplete="current-password"
          required
          value={current}
          onChange={(event) => setCurrent(event.target.value)}
        />
      </label>
      <label className="field">
        <span>New password</span>
        <NewPasswordInput
          name="newPassword"
          aria-describedby={hintId}
          value={next}
          onChange={(event) => setNext(event.target.value)}
        />
      </label>
      <p id={hintId} className="muted small">
        {NEW_PASSWORD_HINT}
      </p>
      <label className="field">
        <span>Repeat the new password</span>
        <input
          type="password"
          name="repeatPassword"
          autoComplete="new-password"
          required
          aria-invalid={mismatch || undefined}
          value={repeat}
          onChange={(event) => setRepeat(event.target.value)}
        />
      </label>
      {mismatch ? (
        <p className="form-error" role="alert">
          The two new passwords differ.
        </p>
      ) : null}
      <FormError error={change.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={change.isPending || mismatch}>
          {change.isPending ? 'Saving…' : 'Change password'}
        </button>
      </div>
    </form>
  );
}

function OwnTotp() {
  const operator = useOperator();
  const queryClient = useQueryClient();
  // Set once the code is confirmed: the wizard then says "on", so the state above it must too.
  const [enrolled, setEnrolled] = useState(false);
  return (
    <section className="card stack" aria-labelledby="own-totp-title">
      <h2 id="own-totp-title">Two-factor sign-in</h2>
      {operator.totpEnabled ? (
        <RemoveOwnTotpForm />
      ) : (
        <>
          <p>
            {enrolled
              ? 'On: you enter a code from your authenticator app when you sign in.'
              : 'Off: you sign in with your password only.'}
          </p>
          <Suspense fallback={<Loading label="Loading the setup wizard…" />}>
            <TotpWizard
              name="own-totp"
              subject="your console sign-in"
              generate={setupOwnTotp}
              confirm={async ({ code }) => {
                await confirmOwnTotp(code);
                setEnrolled(true);
              }}
              wrongCodeCodes={['invalid_credentials', 'invalid_params']}
              successMessage="Two-factor sign-in is on for your console account."
              onDone={() => void queryClient.invalidateQueries({ queryKey: sessionKeys.current })}
            />
          </Suspense>
        </>
      )}
    </section>
  );
}

function RemoveOwnTotpForm() {
  const toast = useToast();
  const remove = useRemoveOwnTotp();
  const [code, setCode] = useState('');

  function submit(event: FormEvent) {
    event.preventDefault();
    remove.mutate(code, { onSuccess: () => toast('Two-factor sign-in is off.') });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Turn off two-factor sign-in">
      <p>On: you enter a code from your authenticator app when you sign in.</p>
      <label className="field">
        <span>Current code, to turn it off</span>
        <input
          name="code"
          autoComplete="one-time-code"
          inputMode="numeric"
          required
          value={code}
          onChange={(event) => setCode(event.target.value.replace(/\D/g, '').slice(0, 6))}
        />
      </label>
      <FormError error={remove.error} />
      <div className="actions">
        <button type="submit" className="danger" disabled={code.length !== 6 || remove.isPending}>
          {remove.isPending ? 'Turning off…' : 'Turn off two-factor sign-in'}
        </button>
      </div>
    </form>
  );
}
