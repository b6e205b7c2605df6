import { queryOptions, useQuery } from '@tanstack/react-query';
import { whmKeys, whmRead } from '../../../lib/whm';

export const issuerKeys = {
  current: (server: string) => whmKeys.fn(server, 'twofactorauth_get_issuer'),
};

export function getIssuer(server: string, signal?: AbortSignal) {
  return whmRead(server, 'twofactorauth_get_issuer', undefined, signal);
}

export function issuerQueryOptions(server: string) {
  return queryOptions({
    queryKey: issuerKeys.current(server),
    queryFn: ({ signal }) => getIssuer(server, signal),
    enabled: server !== '',
  });
}

export function useIssuer(server: string) {
  return useQuery(issuerQueryOptions(server));
}
