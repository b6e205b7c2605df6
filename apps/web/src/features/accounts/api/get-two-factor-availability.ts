import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { whmKeys } from '../../../lib/whm';
import { ACCOUNTS_REFRESH_MS } from './get-accounts';

/** docs/api.md: the packages whose accounts cannot turn 2FA on, or featureAware false. */
export interface TwoFactorAvailability {
  featureAware: boolean;
  packagesWithoutTwoFactor: string[];
}

export const availabilityKeys = {
  twoFactor: (server: string) => [...whmKeys.server(server), 'two-factor-availability'] as const,
};

export function getTwoFactorAvailability(server: string, signal?: AbortSignal) {
  return api<TwoFactorAvailability>(
    `/api/servers/${encodeURIComponent(server)}/two-factor-availability`,
    { signal },
  );
}

/** undefined: coverage is not feature-aware (the BFF could not read WHM's packages). One function
 * for every render: a new `select` each render would make a new Set and the 10,000-row join again. */
function toPackagesWithout(answer: TwoFactorAvailability): ReadonlySet<string> | undefined {
  return answer.featureAware ? new Set(answer.packagesWithoutTwoFactor) : undefined;
}

export function twoFactorAvailabilityQueryOptions(server: string) {
  return queryOptions({
    queryKey: availabilityKeys.twoFactor(server),
    queryFn: ({ signal }) => getTwoFactorAvailability(server, signal),
    enabled: server !== '',
    refetchInterval: ACCOUNTS_REFRESH_MS,
    select: toPackagesWithout,
    // A fail-soft answer (200 even when WHM is down): not data from WHM for the unreachable banner.
    meta: { whmData: false },
  });
}

export function useTwoFactorAvailability(server: string) {
  return useQuery(twoFactorAvailabilityQueryOptions(server));
}
