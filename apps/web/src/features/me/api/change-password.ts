import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { ownSessionKeys } from './get-own-sessions';

export interface PasswordChange {
  currentPassword: string;
  newPassword: string;
}

export function changePassword(change: PasswordChange) {
  return api<void>('/api/me/password', { method: 'POST', body: change });
}

/** Also ends every other session of this operator (the BFF does it). */
export function useChangePassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: changePassword,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ownSessionKeys.all }),
  });
}
