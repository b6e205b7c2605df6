import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { operatorKeys } from './get-operators';

export interface ConsoleSettings {
  requireOperatorTotp: boolean;
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
