import { queryOptions, useQuery } from '@tanstack/react-query';
import { whmKeys, whmRead } from '../../../lib/whm';

/** Only the columns the screen shows: a 10,000-account answer stays small. */
export const ACCOUNT_COLUMNS = 'user,domain,owner,plan,suspended';

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
  });
}

export function useAccounts(server: string) {
  return useQuery(accountsQueryOptions(server));
}
