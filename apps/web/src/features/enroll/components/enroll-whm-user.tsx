import { useQueryClient } from '@tanstack/react-query';
import { Suspense } from 'react';
import { TotpWizard } from '../../../components/totp-wizard';
import { Loading } from '../../../components/ui/loading';
import { useServerId } from '../../../lib/servers';
import { whmKeys } from '../../../lib/whm';
import { generateTfaConfig } from '../api/generate-tfa-config';
import { setTfaConfig } from '../api/set-tfa-config';

export function EnrollWhmUser() {
  const server = useServerId();
  const queryClient = useQueryClient();
  return (
    <div className="stack">
      <h1>Enroll the WHM user</h1>
      <p>
        Turn on two-factor authentication for the WHM user this console signs in to WHM as. The
        secret is shown once and is forgotten when you leave this page.
      </p>
      <section className="card">
        <Suspense fallback={<Loading label="Loading the setup wizard…" />}>
          <TotpWizard
            key={server}
            name="whm-user"
            subject="the WHM user"
            generate={() => generateTfaConfig(server)}
            confirm={async (input) => {
              await setTfaConfig(server, input);
              await queryClient.invalidateQueries({
                queryKey: whmKeys.fn(server, 'twofactorauth_get_user_configs'),
              });
            }}
            wrongCodeCodes={['whm_refused']}
            successMessage="Two-factor authentication is on for the WHM user."
          />
        </Suspense>
      </section>
    </div>
  );
}
