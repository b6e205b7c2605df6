import { queryOptions, useQuery } from '@tanstack/react-query';
import { api, isApiError } from '../../../lib/api-client';

/** Whether the first admin may still be made with the setup link (no operator exists yet). */
export interface SetupStatus {
  open: boolean;
}

export const setupKeys = { status: ['setup'] as const };

/** The BFF answers 404 once any operator exists: setup is then closed for good. */
export async function getSetupStatus(signal?: AbortSignal): Promise<SetupStatus> {
  try {
    return await api<SetupStatus>('/api/setup', { signal });
  } catch (error) {
    if (isApiError(error, 'not_found')) return { open: false };
    throw error;
  }
}

export const setupStatusQueryOptions = queryOptions({
  queryKey: setupKeys.status,
  queryFn: ({ signal }) => getSetupStatus(signal),
  staleTime: Infinity,
});

export function useSetupStatus() {
  return useQuery(setupStatusQueryOptions);
}
