import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { operatorKeys } from './get-operators';

export function resetOperatorTotp(id: number | string) {
  return api<void>(`/api/operators/${encodeURIComponent(id)}/totp`, { method: 'DELETE' });
}

export function useResetOperatorTotp() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetOperatorTotp,
    onSettled: () => queryClient.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}
