import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { operatorKeys } from './get-operators';

export function endSessions(id: number | string) {
  return api<void>(`/api/operators/${encodeURIComponent(id)}/sessions`, { method: 'DELETE' });
}

export function useEndSessions() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: endSessions,
    onSettled: () => queryClient.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}
