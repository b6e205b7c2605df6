import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { ownSessionKeys } from './get-own-sessions';

/** Every session of this operator but the one in this browser. */
export function endOtherSessions() {
  return api<{ ended: number }>('/api/me/sessions', { method: 'DELETE' });
}

export function useEndOtherSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: endOtherSessions,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ownSessionKeys.all }),
  });
}
