import { useId, useState, type FormEvent } from 'react';
import { shownError, useStepUpGate } from '../../../components/step-up-gate';
import { ConfirmButton } from '../../../components/ui/confirm-button';
import { Dialog } from '../../../components/ui/dialog';
import { FormError } from '../../../components/ui/error-panel';
import { NewPasswordInput } from '../../../components/ui/new-password-input';
import { useToast } from '../../../components/ui/toast';
import type { Role } from '../../../lib/auth';
import { useOperator } from '../../../lib/operator';
import { NEW_PASSWORD_HINT } from '../../../lib/passwords';
import { roleWithArticle } from '../../../lib/roles';
import { useDeleteOperator } from '../api/delete-operator';
import { useEndSessions } from '../api/end-sessions';
import type { ManagedOperator } from '../api/get-operators';
import { useResetOperatorPassword } from '../api/reset-password';
import { useResetOperatorTotp } from '../api/reset-totp';
import { useUpdateOperator } from '../api/update-operator';
import { ROLE_CHOICES } from './add-operator-form';
import { describeServerTags, ServerTagsForm } from './server-tags-editor';

export function OperatorCard({ operator }: { operator: ManagedOperator }) {
  const self = useOperator();
  const toast = useToast();
  const stepUp = useStepUpGate();
  const update = useUpdateOperator();
  const endSessions = useEndSessions();
  const resetTotp = useResetOperatorTotp();
  const resetPassword = useResetOperatorPassword();
  const remove = useDeleteOperator();
  const [newRole, setNewRole] = useState<Role | null>(null);
  const [passwordOpen, setPasswordOpen] = useState(false);
  const [serversOpen, setServersOpen] = useState(false);
  const isSelf = String(self.id) === String(operator.id);
  const selfReasonId = useId();
  const name = operator.username;
  const error = shownError(
    update.error ?? endSessions.error ?? resetTotp.error ?? resetPassword.error ?? remove.error,
  );

  function changeRole(role: Role) {
    const run = () =>
      update.mutate(
        { id: operator.id, role },
        {
          onSuccess: () => toast(`${name} is now ${roleWithArticle(role)}.`),
          onError: stepUp.onError(run),
        },
      );
    run();
  }

  function setDisabled(disabled: boolean) {
    const run = () =>
      update.mutate(
        { id: operator.id, disabled },
        {
          onSuccess: () => toast(disabled ? `${name} is disabled.` : `${name} is enabled.`),
          onError: stepUp.onError(run),
        },
      );
    run();
  }

  function setServerTags(serverTags: string[] | null) {
    const run = () =>
      update.mutate(
        { id: operator.id, serverTags },
        {
          onSuccess: () =>
            toast(
              serverTags
                ? `${name} may now use the servers ${describeServerTags(serverTags)} only.`
                : `${name} may now use every server.`,
            ),
          onError: stepUp.onError(run),
        },
      );
    run();
  }

  function removeTotp() {
    const run = () =>
      resetTotp.mutate(operator.id, {
        onSuccess: () => toast(`TOTP of ${name} is removed.`),
        onError: stepUp.onError(run),
      });
    run();
  }

  function deleteOperator() {
    const run = () =>
      remove.mutate(operator.id, {
        onSuccess: () => toast(`Operator ${name} is deleted.`),
        onError: stepUp.onError(run),
      });
    run();
  }

  function setPassword(password: string) {
    const run = () =>
      resetPassword.mutate(
        { id: operator.id, password },
        {
          onSuccess: () => toast(`The password of ${name} is reset; ${name} is signed out.`),
          onError: stepUp.onError(run),
        },
      );
    run();
  }

  return (
    <li className="operator-card" aria-label={name}>
      <div className="operator-head">
        <strong className="operator-name">{name}</strong>
        {isSelf ? <span className="badge">you</span> : null}
        {operator.disabled ? <span className="badge warn">disabled</span> : null}
        {operator.sso ? <span className="badge">single sign-on</span> : null}
        {isSelf ? (
          <span id={selfReasonId} className="visually-hidden">
            You cannot change your own role or servers, disable or delete yourself here.
          </span>
        ) : null}
      </div>
      <dl className="operator-facts">
        <div>
          <dt>Role</dt>
          <dd>
            <select
              aria-label={`Role of ${name}`}
              value={operator.role}
              disabled={isSelf || update.isPending}
              aria-describedby={isSelf ? selfReasonId : undefined}
              onChange={(event) => setNewRole(event.target.value as Role)}
            >
              {ROLE_CHOICES.map((role) => (
                <option key={role.value} value={role.value}>
                  {role.value}
                </option>
              ))}
            </select>
          </dd>
        </div>
        <div>
          <dt>Status</dt>
          <dd>{operator.disabled ? 'disabled' : 'active'}</dd>
        </div>
        <div>
          <dt>Servers</dt>
          <dd>{describeServerTags(operator.serverTags)}</dd>
        </div>
        <div>
          <dt>TOTP</dt>
          <dd>{operator.totpEnabled ? 'on' : 'off'}</dd>
        </div>
        <div>
          <dt>Last sign-in</dt>
          <dd>
            {operator.lastLoginAt ? new Date(operator.lastLoginAt).toLocaleString() : 'never'}
          </dd>
        </div>
        <div>
          <dt>Sessions</dt>
          <dd data-testid={`sessions-of-${name}`}>{operator.activeSessions}</dd>
        </div>
      </dl>
      <div className="actions">
        {operator.disabled ? (
          <button type="button" disabled={update.isPending} onClick={() => setDisabled(false)}>
            Enable {name}
          </button>
        ) : (
          <ConfirmButton
            label={`Disable ${name}`}
            confirmLabel={`Disable ${name}`}
            disabled={isSelf || update.isPending}
            busy={update.isPending}
            describedBy={isSelf ? selfReasonId : undefined}
            onConfirm={() => setDisabled(true)}
          >
            <p>
              {name} is signed out everywhere and cannot sign in until an admin enables the account
              again.
            </p>
          </ConfirmButton>
        )}
        <button
          type="button"
          disabled={isSelf || update.isPending}
          aria-describedby={isSelf ? selfReasonId : undefined}
          onClick={() => setServersOpen(true)}
        >
          Servers of {name}
        </button>
        <ConfirmButton
          label={`End sessions of ${name}`}
          confirmLabel={`End sessions of ${name}`}
          disabled={operator.activeSessions === 0 || endSessions.isPending}
          busy={endSessions.isPending}
          onConfirm={() =>
            endSessions.mutate(operator.id, {
              onSuccess: () => toast(`Every session of ${name} is ended.`),
            })
          }
        >
          <p>
            {name} is signed out of {operator.activeSessions}{' '}
            {operator.activeSessions === 1 ? 'session' : 'sessions'}; unsaved work there is lost.
          </p>
        </ConfirmButton>
        <ConfirmButton
          label={`Reset TOTP of ${name}`}
          confirmLabel={`Reset TOTP of ${name}`}
          disabled={isSelf || !operator.totpEnabled || resetTotp.isPending}
          busy={resetTotp.isPending}
          title={
            isSelf
              ? 'Turn your own off under My account, with a code'
              : operator.totpEnabled
                ? undefined
                : 'No TOTP to reset'
          }
          onConfirm={removeTotp}
        >
          <p>
            {name}&apos;s authenticator app stops working for this console; {name} signs in with the
            password alone until setting TOTP up again (or is asked to, when TOTP is required).
          </p>
        </ConfirmButton>
        <button
          type="button"
          disabled={isSelf || resetPassword.isPending}
          title={isSelf ? 'Change your own under My account' : undefined}
          onClick={() => setPasswordOpen(true)}
        >
          Reset password of {name}
        </button>
        <ConfirmButton
          label={`Delete ${name}`}
          confirmLabel={`Delete ${name}`}
          disabled={isSelf || remove.isPending}
          busy={remove.isPending}
          describedBy={isSelf ? selfReasonId : undefined}
          onConfirm={deleteOperator}
        >
          <p>
            {name} is signed out everywhere and removed from the console for good. The audit log
            keeps what {name} did.
          </p>
        </ConfirmButton>
      </div>
      <FormError error={error} />
      <Dialog
        open={newRole !== null}
        onClose={() => setNewRole(null)}
        title={`Change the role of ${name}?`}
      >
        <div className="stack">
          <p>
            {name} becomes {roleWithArticle(newRole ?? operator.role)} (now{' '}
            {roleWithArticle(operator.role)}) and is signed out everywhere.
          </p>
          <div className="actions">
            <button type="button" onClick={() => setNewRole(null)}>
              Cancel
            </button>
            <button
              type="button"
              className="primary"
              onClick={() => {
                const role = newRole;
                setNewRole(null);
                if (role) changeRole(role);
              }}
            >
              Change role
            </button>
          </div>
        </div>
      </Dialog>
      <Dialog
        open={passwordOpen}
        onClose={() => setPasswordOpen(false)}
        title={`Reset the password of ${name}`}
      >
        <ResetPasswordForm
          name={name}
          onCancel={() => setPasswordOpen(false)}
          onSubmit={(password) => {
            setPasswordOpen(false);
            setPassword(password);
          }}
        />
      </Dialog>
      <Dialog open={serversOpen} onClose={() => setServersOpen(false)} title={`Servers of ${name}`}>
        <ServerTagsForm
          name={name}
          serverTags={operator.serverTags ?? null}
          onCancel={() => setServersOpen(false)}
          onSubmit={(serverTags) => {
            setServersOpen(false);
            setServerTags(serverTags);
          }}
        />
      </Dialog>
      {stepUp.dialog}
    </li>
  );
}

function ResetPasswordForm({
  name,
  onCancel,
  onSubmit,
}: {
  name: string;
  onCancel: () => void;
  onSubmit: (password: string) => void;
}) {
  const [password, setPassword] = useState('');
  const hintId = useId();
  function submit(event: FormEvent) {
    event.preventDefault();
    onSubmit(password);
  }
  return (
    <form className="stack" onSubmit={submit}>
      <label className="field">
        <span>New password for {name}</span>
        <NewPasswordInput
          name="password"
          aria-describedby={hintId}
          value={password}
          onChange={(event) => setPassword(event.target.value)}
        />
      </label>
      <p id={hintId} className="muted small">
        {NEW_PASSWORD_HINT} {name} is signed out everywhere; give {name} the new one privately.
      </p>
      <div className="actions">
        <button type="button" onClick={onCancel}>
          Cancel
        </button>
        <button type="submit" className="danger">
          Reset password
        </button>
      </div>
    </form>
  );
}
