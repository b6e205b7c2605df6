import { queryOptions, useQuery } from '@tanstack/react-query';
import { whmKeys, whmRead } from '../../../lib/whm';

export const serverHostnameKeys = {
  root: (server: string) => [...whmKeys.fn(server, 'twofactorauth_get_user_configs'), 'root'],
};

/**
 * WHM's default issuer is the server's hostname, and `twofactorauth_get_issuer` cannot tell it
 * once a custom issuer is set (root's issuer and the system-wide one are then the same custom
 * value). Root's entry in `twofactorauth_get_user_configs` carries the hostname as its domain.
 */
export async function getServerHostname(server: string, signal?: AbortSignal) {
  const answer = await whmRead(server, 'twofactorauth_get_user_configs', { user: 'root' }, signal);
  return answer.data.root?.primary_domain ?? null;
}

export function serverHostnameQueryOptions(server: string) {
  return queryOptions({
    queryKey: serverHostnameKeys.root(server),
    queryFn: ({ signal }) => getServerHostname(server, signal),
    enabled: server !== '',
    staleTime: Infinity,
  });
}

export function useServerHostname(server: string) {
  return useQuery(serverHostnameQueryOptions(server));
}
