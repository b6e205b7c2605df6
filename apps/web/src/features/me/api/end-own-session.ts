import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { ownSessionKeys } from './get-own-sessions';

export function endOwnSession(id: string) {
  return api<void>(`/api/me/sessions/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useEndOwnSession() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: endOwnSession,
    onSettled: () => queryClient.invalidateQueries({ queryKey: ownSessionKeys.all }),
  });
}
