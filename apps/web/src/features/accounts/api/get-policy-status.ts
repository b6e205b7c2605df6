import { queryOptions, useQuery } from '@tanstack/react-query';
import { isOn, whmKeys, whmRead } from '../../../lib/whm';

/**
 * The server-wide policy decides whether a configured 2FA is asked for at all. Same cache key as
 * the policy screen's query, so turning the policy on or off there refreshes the coverage here.
 */
export function policyEnabledQueryOptions(server: string) {
  return queryOptions({
    queryKey: whmKeys.fn(server, 'twofactorauth_policy_status'),
    queryFn: ({ signal }) => whmRead(server, 'twofactorauth_policy_status', undefined, signal),
    select: (answer) => isOn(answer.data.is_enabled),
    enabled: server !== '',
  });
}

export function usePolicyEnabled(server: string) {
  return useQuery(policyEnabledQueryOptions(server));
}
