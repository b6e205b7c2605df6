import { queryOptions, useQuery } from '@tanstack/react-query';
import { whmKeys, whmRead } from '../../../lib/whm';

export const policyKeys = {
  status: (server: string) => whmKeys.fn(server, 'twofactorauth_policy_status'),
};

export function getPolicyStatus(server: string, signal?: AbortSignal) {
  return whmRead(server, 'twofactorauth_policy_status', undefined, signal);
}

export function policyStatusQueryOptions(server: string) {
  return queryOptions({
    queryKey: policyKeys.status(server),
    queryFn: ({ signal }) => getPolicyStatus(server, signal),
    enabled: server !== '',
  });
}

export function usePolicyStatus(server: string) {
  return useQuery(policyStatusQueryOptions(server));
}
