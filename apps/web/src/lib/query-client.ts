import { QueryClient, type DefaultOptions } from '@tanstack/react-query';
import { ApiError } from './api-client';

declare module '@tanstack/react-query' {
  interface Register {
    defaultError: ApiError;
    /** `whmData: false`: the answer is the BFF's own, even while WHM is down (a fail-soft read). */
    queryMeta: { whmData?: boolean };
  }
}

/** A 4xx will not get better by asking again; a WHM hiccup might. */
function shouldRetry(failureCount: number, error: ApiError): boolean {
  if (error instanceof ApiError && error.status >= 400 && error.status < 500) return false;
  return failureCount < 2;
}

/**
 * Back on the tab, data older than `staleTime` is fetched again: another operator or WHM itself may
 * have changed it meanwhile (identical answers keep their references, so nothing re-renders).
 */
export const queryDefaults: DefaultOptions = {
  queries: { retry: shouldRetry, staleTime: 30_000, refetchOnWindowFocus: true },
  mutations: { retry: false },
};

export function createQueryClient(overrides: DefaultOptions = {}): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: { ...queryDefaults.queries, ...overrides.queries },
      mutations: { ...queryDefaults.mutations, ...overrides.mutations },
    },
  });
}
