import { queryOptions, useQuery } from '@tanstack/react-query';
import { whmKeys, whmRead } from '../../../lib/whm';
import { ACCOUNTS_REFRESH_MS } from './get-accounts';

export const twoFactorKeys = {
  list: (server: string) => whmKeys.fn(server, 'twofactorauth_get_user_configs'),
};

/** Every account's 2FA state, root included (listaccts leaves root out). */
export function getTwoFactorConfigs(server: string, signal?: AbortSignal) {
  return whmRead(server, 'twofactorauth_get_user_configs', undefined, signal);
}

export function twoFactorConfigsQueryOptions(server: string) {
  return queryOptions({
    queryKey: twoFactorKeys.list(server),
    queryFn: ({ signal }) => getTwoFactorConfigs(server, signal),
    enabled: server !== '',
    refetchInterval: ACCOUNTS_REFRESH_MS,
  });
}

export function useTwoFactorConfigs(server: string) {
  return useQuery(twoFactorConfigsQueryOptions(server));
}
