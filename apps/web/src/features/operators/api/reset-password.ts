import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { operatorKeys } from './get-operators';

/** Needs step-up; ends that operator's sessions and gives it a new TOTP grace period. */
export function resetOperatorPassword({ id, password }: { id: number | string; password: string }) {
  return api<void>(`/api/operators/${encodeURIComponent(id)}/password`, {
    method: 'POST',
    body: { password },
  });
}

export function useResetOperatorPassword() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: resetOperatorPassword,
    onSettled: () => queryClient.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}
