import { queryOptions, useQuery } from '@tanstack/react-query';
import { whmKeys, whmRead } from '../../../lib/whm';

/** Only the columns the screen shows (email in the account drawer): a 10,000-account answer stays small. */
export const ACCOUNT_COLUMNS = 'user,domain,owner,plan,suspended,email';

/** Another operator, or WHM itself, may change an account at any time: the list catches up this often. */
export const ACCOUNTS_REFRESH_MS = 60_000;

export const accountKeys = {
  list: (server: string) => whmKeys.fn(server, 'listaccts'),
};

export function getAccounts(server: string, signal?: AbortSignal) {
  return whmRead(server, 'listaccts', { want: ACCOUNT_COLUMNS }, signal);
}

export function accountsQueryOptions(server: string) {
  return queryOptions({
    queryKey: accountKeys.list(server),
    queryFn: ({ signal }) => getAccounts(server, signal),
    enabled: server !== '',
    refetchInterval: ACCOUNTS_REFRESH_MS,
  });
}

export function useAccounts(server: string) {
  return useQuery(accountsQueryOptions(server));
}
