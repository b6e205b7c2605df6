import { useMutation } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { FormError } from '../../../components/ui/error-panel';
import { isApiError } from '../../../lib/api-client';
import { signIn, type Credentials } from '../../../lib/auth';

/** Username and password, then a code for operators who have TOTP. */
export function LoginForm({ onSignedIn }: { onSignedIn: () => Promise<void> }) {
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [totp, setTotp] = useState('');
  const [needsCode, setNeedsCode] = useState(false);
  const codeRef = useRef<HTMLInputElement>(null);
  const errorId = useId();

  const mutation = useMutation({
    mutationFn: async (credentials: Credentials) => {
      await signIn(credentials);
      await onSignedIn();
    },
    onError: (error) => {
      if (isApiError(error, 'totp_required')) setNeedsCode(true);
    },
  });

  useEffect(() => {
    if (needsCode) codeRef.current?.focus();
  }, [needsCode]);

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate({ username, password, totp: needsCode ? totp : undefined });
  }

  // The "code needed" answer is a step, not a failure to show.
  const error = isApiError(mutation.error, 'totp_required') ? null : mutation.error;

  return (
    <form className="card stack" onSubmit={submit} aria-label="Sign in">
      <h1>Sign in</h1>
      {needsCode ? (
        <>
          <p>
            Signed in as <strong>{username}</strong>. Enter the 6-digit code from your authenticator
            app.
          </p>
          <label className="field">
            <span>Authentication code</span>
            <input
              ref={codeRef}
              name="totp"
              autoComplete="one-time-code"
              inputMode="numeric"
              required
              value={totp}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => setTotp(event.target.value.replace(/\D/g, '').slice(0, 6))}
            />
          </label>
        </>
      ) : (
        <>
          <label className="field">
            <span>Username</span>
            <input
              name="username"
              autoComplete="username"
              required
              value={username}
              onChange={(event) => setUsername(event.target.value)}
            />
          </label>
          <label className="field">
            <span>Password</span>
            <input
              name="password"
              type="password"
              autoComplete="current-password"
              required
              value={password}
              aria-describedby={error ? errorId : undefined}
              onChange={(event) => setPassword(event.target.value)}
            />
          </label>
        </>
      )}
      <FormError error={error} id={errorId} />
      <div className="actions">
        {needsCode ? (
          <button
            type="button"
            onClick={() => {
              setNeedsCode(false);
              setTotp('');
              mutation.reset();
            }}
          >
            Back
          </button>
        ) : null}
        <button type="submit" className="primary" disabled={mutation.isPending}>
          {mutation.isPending ? 'Signing in…' : needsCode ? 'Verify' : 'Sign in'}
        </button>
      </div>
    </form>
  );
}
