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
    // Not awaited: the refetch unmounts the deleted operator's card, and the caller's own
    // callbacks (its toast) must run before that.
    onSettled: () => {
      void queryClient.invalidateQueries({ queryKey: operatorKeys.all });
    },
  });
}
