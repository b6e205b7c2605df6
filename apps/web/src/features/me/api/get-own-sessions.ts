import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export interface OwnSession {
  id: string;
  createdAt: string;
  lastSeenAt: string;
  sourceIp: string | null;
  userAgent: string | null;
  current: boolean;
}

export const ownSessionKeys = { all: ['me', 'sessions'] as const };

export function getOwnSessions(signal?: AbortSignal) {
  return api<{ sessions: OwnSession[] }>('/api/me/sessions', { signal });
}

export const ownSessionsQueryOptions = queryOptions({
  queryKey: ownSessionKeys.all,
  queryFn: ({ signal }) => getOwnSessions(signal),
});

export function useOwnSessions() {
  return useQuery(ownSessionsQueryOptions);
}
