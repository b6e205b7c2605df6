import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useId, useState, type FormEvent } from 'react';
import { useSignInInfo } from '../features/auth/api/get-sign-in-info';
import { SsoStepUp } from '../features/sso/sso';
import { sessionKeys, stepUp, useSession, type Session, type StepUpProof } from '../lib/auth';
import { FormError } from './ui/error-panel';

interface StepUpFormProps {
  /** An operator with TOTP must prove it with a code; the others with their password. */
  totpEnabled: boolean;
  onVerified: () => void;
  onCancel: () => void;
}

/** Re-proves who the operator is before a risky change; the BFF then allows it for 5 minutes. */
export function StepUpForm(props: StepUpFormProps) {
  const session = useSession();
  const info = useSignInInfo();
  // An operator the identity provider signs in has no console password: it confirms there.
  if (session.data?.operator.sso && !props.totpEnabled && info.data?.sso) {
    return <SsoStepUp label={info.data.sso.label} onCancel={props.onCancel} />;
  }
  return <LocalStepUpForm {...props} />;
}

function LocalStepUpForm({ totpEnabled, onVerified, onCancel }: StepUpFormProps) {
  const queryClient = useQueryClient();
  const [value, setValue] = useState('');
  const errorId = useId();
  const mutation = useMutation({
    mutationFn: (proof: StepUpProof) => stepUp(proof),
    onSuccess: ({ stepUpUntil }) => {
      queryClient.setQueryData<Session | null>(sessionKeys.current, (session) =>
        session ? { ...session, stepUpUntil } : session,
      );
      onVerified();
    },
  });

  function submit(event: FormEvent) {
    event.preventDefault();
    mutation.mutate(totpEnabled ? { totp: value.replace(/\s/g, '') } : { password: value });
  }

  return (
    <form className="stack" onSubmit={submit} aria-label="Confirm it is you">
      <p>
        This change needs a fresh confirmation.{' '}
        {totpEnabled
          ? 'Enter the current code from your authenticator app.'
          : 'Enter your console password.'}
      </p>
      <label className="field">
        <span>{totpEnabled ? 'Authentication code' : 'Password'}</span>
        {totpEnabled ? (
          <input
            name="totp"
            autoComplete="one-time-code"
            inputMode="numeric"
            required
            value={value}
            aria-describedby={mutation.error ? errorId : undefined}
            onChange={(event) => setValue(event.target.value.replace(/[^\d]/g, '').slice(0, 6))}
          />
        ) : (
          <input
            name="password"
            type="password"
            autoComplete="current-password"
            required
            value={value}
            aria-describedby={mutation.error ? errorId : undefined}
            onChange={(event) => setValue(event.target.value)}
          />
        )}
      </label>
      <FormError error={mutation.error} id={errorId} />
      <div className="actions">
        <button type="button" onClick={onCancel} disabled={mutation.isPending}>
          Cancel
        </button>
        <button type="submit" className="primary" disabled={mutation.isPending || !value}>
          {mutation.isPending ? 'Confirming…' : 'Confirm'}
        </button>
      </div>
    </form>
  );
}
