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

export function twoFactorAvailabilityQueryOptions(server: string) {
  return queryOptions({
    queryKey: availabilityKeys.twoFactor(server),
    queryFn: ({ signal }) => getTwoFactorAvailability(server, signal),
    enabled: server !== '',
    refetchInterval: ACCOUNTS_REFRESH_MS,
    /** undefined: coverage is not feature-aware (the BFF could not read WHM's packages). */
    select: (answer): ReadonlySet<string> | undefined =>
      answer.featureAware ? new Set(answer.packagesWithoutTwoFactor) : undefined,
  });
}

export function useTwoFactorAvailability(server: string) {
  return useQuery(twoFactorAvailabilityQueryOptions(server));
}
