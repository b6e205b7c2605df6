import { useId, useState, type FormEvent } from 'react';
import { ConfirmButton } from '../../../components/ui/confirm-button';
import { ErrorPanel, FormError } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { NewPasswordInput } from '../../../components/ui/new-password-input';
import { useToast } from '../../../components/ui/toast';
import type { Role } from '../../../lib/auth';
import { useOperator } from '../../../lib/operator';
import { NEW_PASSWORD_HINT } from '../../../lib/passwords';
import { useCreateOperator } from '../api/create-operator';
import { useEndSessions } from '../api/end-sessions';
import { useOperators, type ManagedOperator } from '../api/get-operators';
import { useSettings } from '../api/get-settings';
import { useResetOperatorTotp } from '../api/reset-totp';
import { useUpdateOperator } from '../api/update-operator';
import { useUpdateSettings } from '../api/update-settings';

const ROLES: { value: Role; label: string }[] = [
  { value: 'admin', label: 'Admin: everything' },
  { value: 'support', label: 'Support: remove 2FA from ordinary accounts' },
  { value: 'viewer', label: 'Viewer: read-only' },
];

export function OperatorsAdmin() {
  return (
    <div className="stack">
      <h1>Operators</h1>
      <RequireTotpSetting />
      <OperatorList />
      <AddOperatorForm />
    </div>
  );
}

function RequireTotpSetting() {
  const self = useOperator();
  const toast = useToast();
  const settings = useSettings();
  const update = useUpdateSettings();
  if (settings.isError) {
    return <ErrorPanel error={settings.error} onRetry={() => void settings.refetch()} />;
  }
  if (!settings.data) return <Loading label="Loading settings…" />;
  const required = settings.data.requireOperatorTotp;
  return (
    <section className="card stack" aria-labelledby="settings-title">
      <h2 id="settings-title">Sign-in policy</h2>
      <label className="field inline">
        <input
          type="checkbox"
          checked={required}
          disabled={update.isPending}
          onChange={(event) => {
            const requireOperatorTotp = event.target.checked;
            update.mutate(
              { requireOperatorTotp },
              {
                onSuccess: () =>
                  toast(
                    requireOperatorTotp
                      ? 'Operators must now use TOTP.'
                      : 'TOTP is now optional for operators.',
                  ),
              },
            );
          }}
        />
        <span>Require TOTP for every operator</span>
      </label>
      <p className="muted small">
        Operators without TOTP must set it up at their next sign-in before they can do anything
        else.
        {self.totpEnabled ? '' : ' That includes you: you have no TOTP yet.'}
      </p>
      <FormError error={update.error} />
    </section>
  );
}

function OperatorList() {
  const operators = useOperators();
  if (operators.isError) {
    return <ErrorPanel error={operators.error} onRetry={() => void operators.refetch()} />;
  }
  if (!operators.data) return <Loading label="Loading operators…" />;
  return (
    <section className="card stack" aria-labelledby="operators-title">
      <h2 id="operators-title">Console operators</h2>
      <div className="table-wrap">
        <table className="simple-table" aria-label="Operators">
          <thead>
            <tr>
              <th scope="col">Username</th>
              <th scope="col">Role</th>
              <th scope="col">Status</th>
              <th scope="col">TOTP</th>
              <th scope="col">Last sign-in</th>
              <th scope="col">Sessions</th>
              <th scope="col">Actions</th>
            </tr>
          </thead>
          <tbody>
            {operators.data.operators.map((operator) => (
              <OperatorRow key={operator.id} operator={operator} />
            ))}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function OperatorRow({ operator }: { operator: ManagedOperator }) {
  const self = useOperator();
  const toast = useToast();
  const update = useUpdateOperator();
  const endSessions = useEndSessions();
  const resetTotp = useResetOperatorTotp();
  const isSelf = String(self.id) === String(operator.id);
  const selfReasonId = `self-${operator.id}`;
  const error = update.error ?? endSessions.error ?? resetTotp.error;
  const name = operator.username;

  return (
    <tr>
      <th scope="row">
        {name}
        {isSelf ? <span className="badge">you</span> : null}
        {isSelf ? (
          <span id={selfReasonId} className="visually-hidden">
            You cannot change your own role or disable yourself.
          </span>
        ) : null}
      </th>
      <td>
        <select
          aria-label={`Role of ${name}`}
          value={operator.role}
          disabled={isSelf || update.isPending}
          aria-describedby={isSelf ? selfReasonId : undefined}
          onChange={(event) => {
            const role = event.target.value as Role;
            update.mutate(
              { id: operator.id, role },
              { onSuccess: () => toast(`${name} is now ${role}.`) },
            );
          }}
        >
          {ROLES.map((role) => (
            <option key={role.value} value={role.value}>
              {role.value}
            </option>
          ))}
        </select>
      </td>
      <td>{operator.disabled ? <span className="badge warn">disabled</span> : 'active'}</td>
      <td>{operator.totpEnabled ? 'on' : 'off'}</td>
      <td>{operator.lastLoginAt ? new Date(operator.lastLoginAt).toLocaleString() : 'never'}</td>
      <td>{operator.activeSessions}</td>
      <td>
        <div className="actions">
          {operator.disabled ? (
            <button
              type="button"
              disabled={update.isPending}
              onClick={() =>
                update.mutate(
                  { id: operator.id, disabled: false },
                  { onSuccess: () => toast(`${name} is enabled.`) },
                )
              }
            >
              Enable {name}
            </button>
          ) : (
            <ConfirmButton
              label={`Disable ${name}`}
              confirmLabel={`Disable ${name}`}
              disabled={isSelf || update.isPending}
              busy={update.isPending}
              describedBy={isSelf ? selfReasonId : undefined}
              onConfirm={() =>
                update.mutate(
                  { id: operator.id, disabled: true },
                  { onSuccess: () => toast(`${name} is disabled.`) },
                )
              }
            >
              <p>
                {name} is signed out everywhere and cannot sign in until an admin enables the
                account again.
              </p>
            </ConfirmButton>
          )}
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
            disabled={!operator.totpEnabled || resetTotp.isPending}
            busy={resetTotp.isPending}
            title={operator.totpEnabled ? undefined : 'No TOTP to reset'}
            onConfirm={() =>
              resetTotp.mutate(operator.id, {
                onSuccess: () => toast(`TOTP of ${name} is removed.`),
              })
            }
          >
            <p>
              {name}&apos;s authenticator app stops working for this console; {name} signs in with
              the password alone until setting TOTP up again (or is asked to, when TOTP is
              required).
            </p>
          </ConfirmButton>
        </div>
        <FormError error={error} />
      </td>
    </tr>
  );
}

function AddOperatorForm() {
  const toast = useToast();
  const create = useCreateOperator();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const hintId = useId();

  function submit(event: FormEvent) {
    event.preventDefault();
    create.mutate(
      { username: username.trim(), password, role },
      {
        onSuccess: () => {
          toast(`Operator ${username.trim()} added.`);
          setUsername('');
          setPassword('');
          setRole('viewer');
        },
      },
    );
  }

  return (
    <form className="card stack" onSubmit={submit} aria-label="Add an operator">
      <h2>Add an operator</h2>
      <div className="filters">
        <label className="field grow">
          <span>Username</span>
          <input
            name="username"
            autoComplete="off"
            required
            value={username}
            onChange={(event) => setUsername(event.target.value)}
          />
        </label>
        <label className="field grow">
          <span>Initial password</span>
          <NewPasswordInput
            name="password"
            aria-describedby={hintId}
            value={password}
            onChange={(event) => setPassword(event.target.value)}
          />
        </label>
        <label className="field">
          <span>Role</span>
          <select value={role} onChange={(event) => setRole(event.target.value as Role)}>
            {ROLES.map((option) => (
              <option key={option.value} value={option.value}>
                {option.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <p id={hintId} className="muted small">
        {NEW_PASSWORD_HINT} Give it to the operator privately; they can change it under My account.
      </p>
      <FormError error={create.error} />
      <div className="actions">
        <button type="submit" className="primary" disabled={create.isPending}>
          {create.isPending ? 'Adding…' : 'Add operator'}
        </button>
      </div>
    </form>
  );
}
