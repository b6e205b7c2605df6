import { queryOptions, useQuery } from '@tanstack/react-query';
import { whmKeys, whmRead } from '../../../lib/whm';
import { ACCOUNTS_REFRESH_MS } from './get-accounts';

export const resellerKeys = {
  list: (server: string) => whmKeys.fn(server, 'listresellers'),
};

/** WHM's own reseller list: a reseller that owns nothing yet is still one (ownership cannot tell). */
export function getResellers(server: string, signal?: AbortSignal) {
  return whmRead(server, 'listresellers', undefined, signal);
}

/** One function for every render: TanStack Query re-runs a `select` whose identity changes, and a
 * new Set each render made the accounts view join its 10,000 rows again on every keystroke. */
function toResellerSet(answer: Awaited<ReturnType<typeof getResellers>>): ReadonlySet<string> {
  return new Set(answer.data.reseller);
}

export function resellersQueryOptions(server: string) {
  return queryOptions({
    queryKey: resellerKeys.list(server),
    queryFn: ({ signal }) => getResellers(server, signal),
    enabled: server !== '',
    refetchInterval: ACCOUNTS_REFRESH_MS,
    select: toResellerSet,
  });
}

export function useResellers(server: string) {
  return useQuery(resellersQueryOptions(server));
}
