import { useMutation } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Operator } from '../../../lib/auth';

export interface FirstAdmin {
  token: string;
  username: string;
  password: string;
}

/** Creates the first admin with the printed token; the BFF signs them in (sets the cookie). */
export function createFirstAdmin(input: FirstAdmin) {
  return api<{ operator: Operator }>('/api/setup', { method: 'POST', body: input });
}

export function useCreateFirstAdmin() {
  return useMutation({ mutationFn: createFirstAdmin });
}
