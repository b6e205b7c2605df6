import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { operatorKeys } from './get-operators';

export interface ConsoleSettings {
  requireOperatorTotp: boolean;
  /** Days an operator without TOTP may still sign in (and is made to enroll) once it is required. */
  totpGraceDays: number;
  totpRequiredSince: string | null;
  /** Console passwords sign in admins only; the others use single sign-on. */
  localSignInAdminsOnly?: boolean;
  /** Whether single sign-on is configured (the setting above needs it). */
  ssoConfigured?: boolean;
}

export function getSettings(signal?: AbortSignal) {
  return api<ConsoleSettings>('/api/settings', { signal });
}

export const settingsQueryOptions = queryOptions({
  queryKey: operatorKeys.settings(),
  queryFn: ({ signal }) => getSettings(signal),
});

export function useSettings() {
  return useQuery(settingsQueryOptions);
}
