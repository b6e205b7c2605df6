import { useQueryClient } from '@tanstack/react-query';
import { useEffect, useSyncExternalStore } from 'react';
import { isApiError, SESSION_LOST_CODES, UPSTREAM_DOWN_CODES } from '../../lib/api-client';
import { sessionKeys } from '../../lib/auth';

/**
 * Any call answering "no session" drops the cached session, so the shell sends the operator to
 * sign in (and back here afterwards); "enrol TOTP first" refetches it to show that step.
 */
export function useSessionWatch(): void {
  const queryClient = useQueryClient();
  useEffect(() => {
    function onError(error: unknown) {
      if (isApiError(error, ...SESSION_LOST_CODES)) {
        queryClient.setQueryData(sessionKeys.current, null);
      } else if (isApiError(error, 'totp_enrollment_required')) {
        void queryClient.invalidateQueries({ queryKey: sessionKeys.current });
      }
    }
    const stopQueries = queryClient.getQueryCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    const stopMutations = queryClient.getMutationCache().subscribe((event) => {
      if (event.type === 'updated' && event.action.type === 'error') onError(event.action.error);
    });
    return () => {
      stopQueries();
      stopMutations();
    };
  }, [queryClient]);
}

/** True while any query's latest answer is "WHM did not answer". */
export function useUpstreamDown(): boolean {
  const queryClient = useQueryClient();
  const cache = queryClient.getQueryCache();
  return useSyncExternalStore(
    (notify) => cache.subscribe(notify),
    () =>
      cache
        .getAll()
        .some(
          (query) =>
            query.state.status === 'error' && isApiError(query.state.error, ...UPSTREAM_DOWN_CODES),
        ),
  );
}
