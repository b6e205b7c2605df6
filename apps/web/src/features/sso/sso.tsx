import { useLocation } from 'react-router';

/** What the BFF's `sso_error` means, in the words the sign-in page and step-up show. */
const problems: Record<string, string> = {
  flow_unknown:
    'That sign-in link was not started here, was used already or is older than 10 minutes. Start again.',
  provider_refused: 'The identity provider did not sign you in (cancelled or refused).',
  provider_unreachable: 'The identity provider could not be reached. Try again, or ask an admin.',
  invalid_response:
    'The identity provider answered in a way the console cannot accept. Ask an admin.',
  no_role:
    'Your account at the identity provider is in no group that has access to this console. Ask an admin to add you to one.',
  username_taken:
    'An operator with your name exists already and is not linked to your single sign-on account. Ask an admin.',
  disabled: 'Your operator account is disabled. Ask an admin.',
  wrong_person: 'The confirmation came from someone else’s account at the identity provider.',
  not_fresh:
    'The identity provider did not ask you to sign in again, so the change was not confirmed.',
  session_gone: 'Your session ended; sign in again.',
  rate_limited: 'Too many attempts; try again later.',
};

export function ssoProblemText(code: string | null): string | null {
  if (code === null) return null;
  return problems[code] ?? 'Single sign-on did not work. Try again, or ask an admin.';
}

/** The BFF's start of a flow; a plain navigation, since the browser leaves for the provider. */
export function ssoStartHref(intent: 'sign-in' | 'step-up', returnTo = '/'): string {
  const params = new URLSearchParams({ intent, return: returnTo });
  return `/api/sso/start?${params.toString()}`;
}

/** "Sign in with …", above the password form. */
export function SsoSignIn({ label }: { label: string }) {
  return (
    <section className="card stack" aria-label="Single sign-on">
      <a className="button primary" href={ssoStartHref('sign-in')}>
        Sign in with {label}
      </a>
      <p className="muted">Or sign in with a console password below.</p>
    </section>
  );
}

/** Step-up for an operator the provider signs in: a new sign-in there, then back to this page. */
export function SsoStepUp({ label, onCancel }: { label: string; onCancel: () => void }) {
  const location = useLocation();
  const here = `${location.pathname}${location.search}`.replace(/[?&]sso_error=[^&]*/, '');
  return (
    <div className="stack" aria-label="Confirm it is you">
      <p>
        This change needs a fresh confirmation. You sign in again at {label} and come back to this
        page; then make the change again within 5 minutes.
      </p>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <a className="button primary" href={ssoStartHref('step-up', here || '/')}>
          Confirm at {label}
        </a>
      </div>
    </div>
  );
}
