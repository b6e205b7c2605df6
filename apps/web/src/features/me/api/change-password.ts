import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export function changePassword(change: PasswordChange) {
  return api<void>('/api/me/password', { method: 'POST', body: change });
}

export function useChangePassword() {
  return useMutation({ mutationFn: changePassword });
}
