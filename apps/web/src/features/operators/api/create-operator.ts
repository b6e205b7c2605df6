import { useMutation, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Role } from '../../../lib/auth';
import { operatorKeys, type ManagedOperator } from './get-operators';

export interface NewOperator {
  username: string;
  password: string;
  role: Role;
}

export function createOperator(input: NewOperator) {
  return api<{ operator: ManagedOperator }>('/api/operators', { method: 'POST', body: input });
}

export function useCreateOperator() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: createOperator,
    onSettled: () => queryClient.invalidateQueries({ queryKey: operatorKeys.all }),
  });
}
