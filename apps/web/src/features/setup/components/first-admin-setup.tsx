import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useId, useRef, useState, type FormEvent } from 'react';
import { Link, useLocation, useNavigate } from 'react-router';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { NewPasswordInput } from '../../../components/ui/new-password-input';
import { paths } from '../../../config/paths';
import { isApiError } from '../../../lib/api-client';
import { forgetAllBut, getSession } from '../../../lib/auth';
import { USERNAME_PATTERN, USERNAME_RULE } from '../../../lib/operator-names';
import { NEW_PASSWORD_HINT } from '../../../lib/passwords';
import { usePageTitle } from '../../../lib/use-page-title';
import { useCreateFirstAdmin } from '../api/create-first-admin';
import { setupKeys, useSetupStatus } from '../api/get-setup-status';

/**
 * The token from the printed link's fragment (`/setup#token=…`): a fragment is never sent to a
 * server, so it stays out of access logs and Referer headers (docs/decisions/011).
 */
export function tokenFromHash(hash: string): string {
  return new URLSearchParams(hash.replace(/^#/, '')).get('token')?.trim() ?? '';
}

/** The first run: the link start-up printed makes the first admin, who is then signed in. */
export function FirstAdminSetup() {
  const location = useLocation();
  const navigate = useNavigate();
  const [linkToken] = useState(() => tokenFromHash(location.hash));
  const [admin, setAdmin] = useState<string | null>(null);
  const status = useSetupStatus();

  // The token leaves the address bar (and the history entry) as soon as it is read.
  useEffect(() => {
    if (location.hash) {
      void navigate({ pathname: location.pathname, search: location.search }, { replace: true });
    }
  }, [location.hash, location.pathname, location.search, navigate]);

  if (admin !== null) return <SetupDone username={admin} />;
  if (status.isPending) return <Loading label="Checking whether setup is open…" />;
  if (status.isError) {
    return <ErrorPanel error={status.error} onRetry={() => void status.refetch()} />;
  }
  if (!status.data.open) return <SetupClosed />;
  return <SetupForm linkToken={linkToken} onCreated={setAdmin} />;
}

function SetupForm({
  linkToken,
  onCreated,
}: {
  linkToken: string;
  onCreated: (username: string) => void;
}) {
  const queryClient = useQueryClient();
  const create = useCreateFirstAdmin();
  const [token, setToken] = useState(linkToken);
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [repeat, setRepeat] = useState('');
  const ruleId = useId();
  const hintId = useId();
  const tokenHintId = useId();
  const name = username.trim();
  const nameBroken = name !== '' && !USERNAME_PATTERN.test(name);
  const mismatch = repeat !== '' && password !== repeat;
  usePageTitle('Create the first admin');

  // Signed in now: the session is loaded before the next step offers the pages behind it.
  // (Should that read fail, the shell reads the session itself on the next page.)
  async function signedIn(admin: string) {
    const session = await getSession().catch(() => undefined);
    if (session !== undefined) forgetAllBut(queryClient, session);
    onCreated(admin);
  }

  function submit(event: FormEvent) {
    event.preventDefault();
    if (nameBroken || mismatch) return;
    create.mutate(
      { token: token.trim(), username: name, password },
      {
        onSuccess: ({ operator }) => void signedIn(operator.username),
        onError: (error) => {
          // Someone made an operator meanwhile (another tab, the CLI): setup is closed.
          if (isApiError(error, 'not_found')) {
            queryClient.setQueryData(setupKeys.status, { open: false });
          }
        },
      },
    );
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Create the first admin">
      <h1>Create the first admin</h1>
      <p>
        No operator exists yet. Choose the username and password of the console’s first admin, who
        can then add every other operator.
      </p>
      {linkToken === '' ? (
        <>
          <label className="field">
            <span>Setup token</span>
            <input
              name="token"
              autoComplete="off"
              spellCheck={false}
              required
              aria-describedby={tokenHintId}
              value={token}
              onChange={(event) => setToken(event.target.value)}
            />
          </label>
          <p id={tokenHintId} className="muted small">
            The part after <code>#token=</code> in the link the console printed when it started.
          </p>
        </>
      ) : null}
      <label className="field">
        <span>Username</span>
        <input
          name="username"
          autoComplete="username"
          autoCapitalize="none"
          spellCheck={false}
          required
          aria-describedby={ruleId}
          aria-invalid={nameBroken || undefined}
          value={username}
          onChange={(event) => setUsername(event.target.value)}
        />
      </label>
      <p id={ruleId} className={nameBroken ? 'form-error' : 'muted small'}>
        Username: {USERNAME_RULE}
      </p>
      <label className="field">
        <span>Password</span>
        <NewPasswordInput
          name="password"
          aria-describedby={hintId}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <p id={hintId} className="muted small">
        Password: {NEW_PASSWORD_HINT}
      </p>
      <label className="field">
        <span>Repeat the password</span>
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
          The two passwords differ.
        </p>
      ) : null}
      <FormError error={create.error} />
      <div className="actions">
        <button
          type="submit"
          className="primary"
          disabled={create.isPending || nameBroken || mismatch}
        >
          {create.isPending ? 'Creating…' : 'Create admin'}
        </button>
      </div>
    </form>
  );
}

function SetupDone({ username }: { username: string }) {
  const navigate = useNavigate();
  const heading = useRef<HTMLHeadingElement>(null);
  usePageTitle('You are the first admin');
  useEffect(() => heading.current?.focus(), []);
  return (
    <section className="card stack" aria-labelledby="setup-done-title">
      <h1 id="setup-done-title" ref={heading} tabIndex={-1}>
        You are the first admin
      </h1>
      <p>
        Signed in as <strong>{username}</strong>. The setup link works no more; add the other
        operators under Operators.
      </p>
      <p>
        Set up an authenticator app for your own sign-in now, so that your password alone cannot
        sign in as you.
      </p>
      <div className="actions">
        <button type="button" onClick={() => void navigate(paths.accounts)}>
          Later
        </button>
        <button type="button" className="primary" onClick={() => void navigate(paths.me)}>
          Set up your own TOTP now
        </button>
      </div>
    </section>
  );
}

function SetupClosed() {
  usePageTitle('Setup is closed');
  return (
    <section className="card stack" aria-labelledby="setup-closed-title">
      <h1 id="setup-closed-title">Setup is closed</h1>
      <p>An operator exists already, so the setup link no longer works.</p>
      <p>
        <Link to={paths.login}>Go to sign-in</Link>
      </p>
    </section>
  );
}
