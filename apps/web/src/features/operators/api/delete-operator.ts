import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { operatorKeys } from './get-operators';

/** Needs step-up; never yourself, never the last active admin; ends that operator's sessions. */
export function deleteOperator(id: number | string) {
  return api<void>(`/api/operators/${encodeURIComponent(id)}`, { method: 'DELETE' });
}

export function useDeleteOperator() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: deleteOperator,
    onSettled: () => queryClient.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}
