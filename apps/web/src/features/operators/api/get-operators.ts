import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import type { Role } from '../../../lib/auth';

export interface ManagedOperator {
  id: number | string;
  username: string;
  role: Role;
  disabled: boolean;
  totpEnabled: boolean;
  /** Made by single sign-on: signs in at the identity provider. */
  sso?: boolean;
  /** The servers it may use, by tag; null: every server. */
  serverTags?: string[] | null;
  createdAt: string;
  lastLoginAt: string | null;
  activeSessions: number;
}

export const operatorKeys = {
  all: ['operators'] as const,
  list: () => [...operatorKeys.all, 'list'] as const,
  settings: () => ['settings'] as const,
};

export function getOperators(signal?: AbortSignal) {
  return api<{ operators: ManagedOperator[] }>('/api/operators', { signal });
}

export const operatorsQueryOptions = queryOptions({
  queryKey: operatorKeys.list(),
  queryFn: ({ signal }) => getOperators(signal),
});

export function useOperators() {
  return useQuery(operatorsQueryOptions);
}
