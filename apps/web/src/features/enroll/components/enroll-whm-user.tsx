import { useQueryClient } from '@tanstack/react-query';
import { Suspense, useState } from 'react';
import { StepUpForm } from '../../../components/step-up-form';
import { TotpWizard } from '../../../components/totp-wizard';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { isApiError } from '../../../lib/api-client';
import { useSession } from '../../../lib/auth';
import { useOperator } from '../../../lib/operator';
import { useServerId } from '../../../lib/servers';
import { whmKeys } from '../../../lib/whm';
import { generateTfaConfig } from '../api/generate-tfa-config';
import { useWhmUser, whmUserKeys, type WhmUserTwoFactor } from '../api/get-whm-user';
import { setTfaConfig } from '../api/set-tfa-config';

const STATE: Record<WhmUserTwoFactor, string> = {
  on: 'The WHM user has two-factor authentication on.',
  off: 'The WHM user does not have two-factor authentication yet.',
  unknown: 'WHM did not say whether the WHM user has two-factor authentication.',
};

export function EnrollWhmUser() {
  const server = useServerId();
  const whmUser = useWhmUser(server);
  return (
    <div className="stack">
      <h1>Enroll the WHM user</h1>
      <p>
        Turn on two-factor authentication for the WHM user this console signs in to WHM as. The
        secret is shown once and is forgotten when you leave this page.
      </p>
      <section className="card stack">
        {whmUser.isError ? (
          <ErrorPanel error={whmUser.error} onRetry={() => void whmUser.refetch()} />
        ) : !whmUser.data ? (
          <Loading label="Checking the WHM user’s two-factor state…" />
        ) : (
          <Enrollment key={server} server={server} twoFactor={whmUser.data.twoFactor} />
        )}
      </section>
    </div>
  );
}

function Enrollment({ server, twoFactor }: { server: string; twoFactor: WhmUserTwoFactor }) {
  const queryClient = useQueryClient();
  const operator = useOperator();
  const session = useSession();
  const [confirming, setConfirming] = useState(false);
  const [stepUpLost, setStepUpLost] = useState(false);
  // Decided by the state when the screen opened: enrolling turns it on, and the wizard's success
  // message must stay.
  const [replacing] = useState(twoFactor !== 'off');
  // A step-up still running when the screen opened counts; if it runs out, the BFF says so.
  const [openedAt] = useState(() => Date.now());
  const until = session.data?.stepUpUntil;
  const steppedUp = !stepUpLost && until != null && Date.parse(until) > openedAt;

  let body;
  if (replacing && !steppedUp) {
    body = confirming ? (
      <StepUpForm
        totpEnabled={operator.totpEnabled}
        onVerified={() => {
          setStepUpLost(false);
          setConfirming(false);
        }}
        onCancel={() => setConfirming(false)}
      />
    ) : (
      <div className="actions">
        <button type="button" className="danger" onClick={() => setConfirming(true)}>
          Replace the secret
        </button>
      </div>
    );
  } else {
    body = (
      <Suspense fallback={<Loading label="Loading the setup wizard…" />}>
        <TotpWizard
          name="whm-user"
          subject="the WHM user"
          generate={() => generateTfaConfig(server)}
          confirm={async (input) => {
            try {
              await setTfaConfig(server, input);
            } catch (error) {
              // The step-up ran out while the code was typed: confirm again, then start over.
              if (isApiError(error, 'step_up_required')) setStepUpLost(true);
              throw error;
            }
            await Promise.all([
              queryClient.invalidateQueries({
                queryKey: whmKeys.fn(server, 'twofactorauth_get_user_configs'),
              }),
              queryClient.invalidateQueries({ queryKey: whmUserKeys.twoFactor(server) }),
            ]);
          }}
          wrongCodeCodes={['whm_refused']}
          successMessage="Two-factor authentication is on for the WHM user."
        />
      </Suspense>
    );
  }

  return (
    <>
      <p role="status" data-testid="whm-user-two-factor">
        {STATE[twoFactor]}
      </p>
      {twoFactor !== 'off' ? (
        <p>
          Setting it up again replaces its secret: the entry for it in the authenticator app that
          has the old one stops working, and the new one must be scanned. Replacing needs a fresh
          confirmation that it is you.
        </p>
      ) : null}
      {body}
    </>
  );
}
