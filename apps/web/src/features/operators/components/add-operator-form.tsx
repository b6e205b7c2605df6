import { useId, useState, type FormEvent } from 'react';
import { shownError, useStepUpGate } from '../../../components/step-up-gate';
import { FormError } from '../../../components/ui/error-panel';
import { NewPasswordInput } from '../../../components/ui/new-password-input';
import { useToast } from '../../../components/ui/toast';
import type { Role } from '../../../lib/auth';
import { USERNAME_PATTERN, USERNAME_RULE } from '../../../lib/operator-names';
import { NEW_PASSWORD_HINT } from '../../../lib/passwords';
import { roleWithArticle } from '../../../lib/roles';
import { useCreateOperator, type NewOperator } from '../api/create-operator';

export const ROLE_CHOICES: { value: Role; label: string }[] = [
  { value: 'admin', label: 'Admin: everything' },
  { value: 'support', label: 'Support: remove 2FA from ordinary accounts' },
  { value: 'viewer', label: 'Viewer: read-only' },
];

export function AddOperatorForm() {
  const toast = useToast();
  const create = useCreateOperator();
  const stepUp = useStepUpGate();
  const [username, setUsername] = useState('');
  const [password, setPassword] = useState('');
  const [role, setRole] = useState<Role>('viewer');
  const ruleId = useId();
  const hintId = useId();
  const name = username.trim();
  const nameBroken = name !== '' && !USERNAME_PATTERN.test(name);

  function submit(event: FormEvent) {
    event.preventDefault();
    if (nameBroken) return;
    const input: NewOperator = { username: name, password, role };
    const run = () =>
      create.mutate(input, {
        onSuccess: () => {
          toast(`Operator ${input.username} added as ${roleWithArticle(input.role)}.`);
          setUsername('');
          setPassword('');
          setRole('viewer');
        },
        onError: stepUp.onError(run),
      });
    run();
  }

  return (
    <>
      <form className="card stack add-operator" onSubmit={submit} aria-label="Add an operator">
        <h2>Add an operator</h2>
        <div className="filters">
          <label className="field grow">
            <span>Username</span>
            <input
              name="username"
              autoComplete="off"
              autoCapitalize="none"
              spellCheck={false}
              required
              aria-describedby={ruleId}
              aria-invalid={nameBroken || undefined}
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
              {ROLE_CHOICES.map((option) => (
                <option key={option.value} value={option.value}>
                  {option.label}
                </option>
              ))}
            </select>
          </label>
        </div>
        <p id={ruleId} className={nameBroken ? 'form-error' : 'muted small'}>
          Username: {USERNAME_RULE}
        </p>
        <p id={hintId} className="muted small">
          Password: {NEW_PASSWORD_HINT} Give it to the operator privately; they can change it under
          My account.
        </p>
        <FormError error={shownError(create.error)} />
        <div className="actions">
          <button type="submit" className="primary" disabled={create.isPending || nameBroken}>
            {create.isPending ? 'Adding…' : 'Add operator'}
          </button>
        </div>
      </form>
      {stepUp.dialog}
    </>
  );
}
