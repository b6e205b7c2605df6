import { useIsMutating } from '@tanstack/react-query';
import { useState } from 'react';
import { StepUpForm } from '../../../components/step-up-form';
import { Dialog } from '../../../components/ui/dialog';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useToast } from '../../../components/ui/toast';
import { isApiError } from '../../../lib/api-client';
import { ADMIN_ONLY, canAdminister } from '../../../lib/authorization';
import { useOperator } from '../../../lib/operator';
import { useServerId } from '../../../lib/servers';
import { isOn } from '../../../lib/whm';
import { usePolicyStatus } from '../api/get-policy-status';
import { setPolicyKey, useSetPolicy } from '../api/set-policy';

const MEANING = {
  on: 'Accounts that have set up two-factor authentication must enter a code from their authenticator app when they sign in.',
  off: 'Nobody is asked for a code when signing in. Every account keeps its 2FA secret, so turning the policy back on restores 2FA for them without setting it up again.',
};

export function PolicyPanel() {
  const server = useServerId();
  const operator = useOperator();
  const status = usePolicyStatus(server);
  // The state asked for, fixed when the dialog opens: the status refetch must not flip its wording.
  const [target, setTarget] = useState<boolean | null>(null);
  const busy = useIsMutating({ mutationKey: setPolicyKey }) > 0;

  if (status.isError) {
    return <ErrorPanel error={status.error} onRetry={() => void status.refetch()} />;
  }
  if (!status.data) return <Loading label="Loading the policy…" />;

  const enabled = isOn(status.data.data.is_enabled);
  const allowed = canAdminister(operator.role);

  return (
    <div className="stack">
      <h1>Two-factor policy</h1>
      <section className="card stack" aria-labelledby="policy-state">
        <h2 id="policy-state">
          The policy is{' '}
          <span className={enabled ? 'status-on' : 'status-off'} data-testid="policy-state">
            {enabled ? 'on' : 'off'}
          </span>
        </h2>
        <p>{enabled ? MEANING.on : MEANING.off}</p>
        <dl className="muted small">
          <dt>On</dt>
          <dd>{MEANING.on}</dd>
          <dt>Off</dt>
          <dd>{MEANING.off}</dd>
        </dl>
        <div className="actions">
          <button
            type="button"
            className={enabled ? 'danger' : 'primary'}
            disabled={!allowed}
            aria-describedby={allowed ? undefined : 'policy-denied'}
            onClick={() => setTarget(!enabled)}
          >
            {enabled ? 'Turn policy off' : 'Turn policy on'}
          </button>
        </div>
        {allowed ? null : (
          <p id="policy-denied" className="muted small">
            {ADMIN_ONLY}
          </p>
        )}
      </section>
      <Dialog
        open={target !== null}
        onClose={() => setTarget(null)}
        busy={busy}
        title={target ? 'Turn the 2FA policy on?' : 'Turn the 2FA policy off?'}
      >
        <PolicyChange
          server={server}
          enable={target ?? false}
          totpEnabled={operator.totpEnabled}
          onDone={() => setTarget(null)}
        />
      </Dialog>
    </div>
  );
}

function PolicyChange({
  server,
  enable,
  totpEnabled,
  onDone,
}: {
  server: string;
  enable: boolean;
  totpEnabled: boolean;
  onDone: () => void;
}) {
  const toast = useToast();
  const change = useSetPolicy(server);

  function run() {
    change.mutate(enable, {
      onSuccess: () => {
        toast(enable ? 'The 2FA policy is on.' : 'The 2FA policy is off.');
        onDone();
      },
    });
  }

  if (isApiError(change.error, 'step_up_required')) {
    return <StepUpForm totpEnabled={totpEnabled} onVerified={run} onCancel={onDone} />;
  }

  return (
    <div className="stack">
      <p>{enable ? MEANING.on : MEANING.off}</p>
      <FormError error={change.error} />
      <div className="actions">
        <button type="button" onClick={onDone} disabled={change.isPending}>
          Cancel
        </button>
        <button
          type="button"
          className={enable ? 'primary' : 'danger'}
          disabled={change.isPending}
          onClick={run}
        >
          {change.isPending ? 'Saving…' : enable ? 'Turn on' : 'Turn off'}
        </button>
      </div>
    </div>
  );
}
