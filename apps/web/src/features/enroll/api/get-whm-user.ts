import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { whmKeys } from '../../../lib/whm';

export type WhmUserTwoFactor = 'on' | 'off' | 'unknown';

export const whmUserKeys = {
  twoFactor: (server: string) => [...whmKeys.server(server), 'whm-user'] as const,
};

/** Whether the WHM user the console acts as has 2FA; the BFF reads it live and keeps the name. */
export function getWhmUser(server: string, signal?: AbortSignal) {
  return api<{ twoFactor: WhmUserTwoFactor }>(
    `/api/servers/${encodeURIComponent(server)}/whm-user`,
    { signal },
  );
}

export function whmUserQueryOptions(server: string) {
  return queryOptions({
    queryKey: whmUserKeys.twoFactor(server),
    queryFn: ({ signal }) => getWhmUser(server, signal),
    enabled: server !== '',
    staleTime: 0,
  });
}

export function useWhmUser(server: string) {
  return useQuery(whmUserQueryOptions(server));
}
