import type { InputHTMLAttributes } from 'react';
import { NEW_PASSWORD_MAX_LENGTH, NEW_PASSWORD_MIN_LENGTH } from '../../lib/passwords';

type NewPasswordInputProps = Omit<
  InputHTMLAttributes<HTMLInputElement>,
  'type' | 'autoComplete' | 'required' | 'minLength' | 'maxLength'
>;

/** A password field for a new password, with the limits the BFF checks and the browser's hints. */
export function NewPasswordInput(props: NewPasswordInputProps) {
  return (
    <input
      {...props}
      type="password"
      autoComplete="new-password"
      required
      minLength={NEW_PASSWORD_MIN_LENGTH}
      maxLength={NEW_PASSWORD_MAX_LENGTH}
    />
  );
}
