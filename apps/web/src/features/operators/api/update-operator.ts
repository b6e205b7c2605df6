import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Role } from '../../../lib/auth';
import { operatorKeys, type ManagedOperator } from './get-operators';

export interface OperatorChange {
  id: number | string;
  role?: Role;
  disabled?: boolean;
  /** Tags of the servers it may use, or null for every server (step-up). */
  serverTags?: string[] | null;
}

/** A role change or disabling also ends that operator's sessions (the BFF does it). */
export function updateOperator({ id, ...change }: OperatorChange) {
  return api<{ operator: ManagedOperator }>(`/api/operators/${encodeURIComponent(id)}`, {
    method: 'PATCH',
    body: change,
  });
}

export function useUpdateOperator() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: updateOperator,
    onSettled: () => queryClient.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}
