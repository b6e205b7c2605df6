import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { sessionKeys } from '../../../lib/auth';

/** Needs a current code: a stolen session alone cannot turn TOTP off. */
export function removeOwnTotp(code: string) {
  return api<void>('/api/me/totp', { method: 'DELETE', body: { code } });
}

export function useRemoveOwnTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: removeOwnTotp,
    onSuccess: () => queryClient.invalidateQueries({ queryKey: sessionKeys.current }),
  });
}
