import { shownError, useStepUpGate } from '../../../components/step-up-gate';
import { ConfirmButton } from '../../../components/ui/confirm-button';
import { FormError } from '../../../components/ui/error-panel';
import { useToast } from '../../../components/ui/toast';
import {
  useRemoveServer,
  useTestConnection,
  useUpdateServer,
  type ManagedServer,
} from '../api/managed-servers';
import { readOnlyReason } from '../hooks/read-only';
import { ConnectionResult } from './connection-result';

/** A row's buttons: test it as stored; the console's own may also be edited, disabled, removed. */
export function ServerActions({
  server,
  onEdit,
}: {
  server: ManagedServer;
  onEdit: (server: ManagedServer) => void;
}) {
  const toast = useToast();
  const stepUp = useStepUpGate();
  const test = useTestConnection();
  const update = useUpdateServer();
  const remove = useRemoveServer();
  const name = server.label;
  const editable = readOnlyReason(server) === null;
  const busy = update.isPending || remove.isPending;

  function setDisabled(disabled: boolean) {
    const run = () =>
      update.mutate(
        { id: server.id, change: { disabled } },
        {
          onSuccess: () =>
            toast(
              disabled
                ? `${name} is disabled: no screen uses it until it is enabled.`
                : `${name} is enabled.`,
            ),
          onError: stepUp.onError(run),
        },
      );
    run();
  }

  function removeServer() {
    const run = () =>
      remove.mutate(server.id, {
        onSuccess: () => toast(`${name} is removed.`),
        onError: stepUp.onError(run),
      });
    run();
  }

  return (
    <div className="server-actions">
      <div className="actions">
        <button
          type="button"
          aria-label={`Test connection to ${name}`}
          disabled={test.isPending}
          // Its stored token and CA, at its own URL: the BFF refuses to send the token elsewhere.
          onClick={() => test.mutate({ id: server.id, url: server.url, user: server.user })}
        >
          Test connection
        </button>
        {editable ? (
          <>
            <button type="button" aria-label={`Edit ${name}`} onClick={() => onEdit(server)}>
              Edit
            </button>
            {server.disabled ? (
              <button
                type="button"
                aria-label={`Enable ${name}`}
                disabled={busy}
                onClick={() => setDisabled(false)}
              >
                Enable
              </button>
            ) : (
              <ConfirmButton
                label={`Disable ${name}`}
                confirmLabel={`Disable ${name}`}
                disabled={busy}
                busy={update.isPending}
                onConfirm={() => setDisabled(true)}
              >
                <p>
                  The console stops using {name} ({server.url}) until it is enabled again: it leaves
                  the server switcher and the fleet. Its token stays stored.
                </p>
              </ConfirmButton>
            )}
            <ConfirmButton
              label={`Remove ${name}`}
              confirmLabel={`Remove ${name}`}
              disabled={busy}
              busy={remove.isPending}
              onConfirm={removeServer}
            >
              <p>
                {name} ({server.url}) is removed from the console for good and its stored token is
                deleted. The audit log keeps what was done on it.
              </p>
            </ConfirmButton>
          </>
        ) : null}
      </div>
      <ConnectionResult result={test.data} error={test.error} pending={test.isPending} />
      <FormError error={shownError(update.error ?? remove.error)} />
      {stepUp.dialog}
    </div>
  );
}
