import { useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { Navigate, useSearchParams } from 'react-router';
import { TotpWizard } from '../../components/totp-wizard';
import { Loading } from '../../components/ui/loading';
import { safeNext } from '../../config/paths';
import {
  confirmOwnTotp,
  forgetAllBut,
  getSession,
  setupOwnTotp,
  useSession,
  useSignOut,
} from '../../lib/auth';
import { useSignInInfo } from '../../features/auth/api/get-sign-in-info';
import { DemoSignIns } from '../../features/auth/components/demo-sign-ins';
import { SetupNotice } from '../../features/setup/components/setup-notice';
import { usePageTitle } from '../../lib/use-page-title';
import { usePreloadAccountsRoute } from './accounts-chunk';
import { LoginForm } from '../../features/auth/components/login-form';
import { formatTime } from '../../lib/time';
import { ssoProblemText, SsoSignIn } from '../../features/sso/sso';
import { HostedDemoBanner } from '../../features/demo/hosted-demo';

export function LoginRoute() {
  const queryClient = useQueryClient();
  const session = useSession();
  const info = useSignInInfo();
  const [params] = useSearchParams();
  const next = safeNext(params.get('next'));
  const ssoProblem = ssoProblemText(params.get('sso_error'));
  usePageTitle('Sign in');
  usePreloadAccountsRoute();

  async function refreshSession() {
    // A new operator must not see what the previous one had loaded.
    forgetAllBut(queryClient, await getSession());
  }

  if (session.isPending) return <Loading label="Checking your session…" />;
  if (session.data && !session.data.mustEnrollTotp) return <Navigate to={next} replace />;

  return (
    <main className="login-page" id="main">
      {info.data ? <p className="product-name">{info.data.product}</p> : null}
      <HostedDemoBanner />
      {session.data?.mustEnrollTotp ? (
        <RequiredEnrollment onDone={refreshSession} enrollBy={session.data.totpEnrollBy} />
      ) : (
        <>
          <SetupNotice />
          {ssoProblem ? (
            <p className="card error" role="alert">
              {ssoProblem}
            </p>
          ) : null}
          {info.data?.sso ? <SsoSignIn label={info.data.sso.label} /> : null}
          <LoginForm onSignedIn={refreshSession} />
          {info.data?.demo && info.data.demo.operators.length > 0 ? (
            <DemoSignIns demo={info.data.demo} />
          ) : null}
        </>
      )}
    </main>
  );
}

function RequiredEnrollment({
  onDone,
  enrollBy,
}: {
  onDone: () => Promise<void>;
  enrollBy: string | null;
}) {
  const signOut = useSignOut();
  return (
    <section className="card stack" aria-labelledby="enroll-required-title">
      <h1 id="enroll-required-title">Set up two-factor sign-in</h1>
      <p>
        An admin requires every operator to use an authenticator app. Set yours up to continue.
        {enrollBy
          ? ` Without it, you can sign in until ${formatTime(enrollBy)}; after that, an admin has to reset your password.`
          : ''}
      </p>
      <Suspense fallback={<Loading label="Loading the setup wizard…" />}>
        <TotpWizard
          name="own-totp-required"
          subject="your console sign-in"
          generate={setupOwnTotp}
          confirm={({ code }) => confirmOwnTotp(code)}
          wrongCodeCodes={['invalid_credentials', 'invalid_params', 'whm_refused']}
          successMessage="Two-factor sign-in is on for your console account."
          onDone={() => void onDone()}
        />
      </Suspense>
      <div className="actions">
        <button type="button" onClick={() => signOut.mutate()}>
          Sign out
        </button>
      </div>
    </section>
  );
}
