import { useQueryClient, type Query } from '@tanstack/react-query';
import { useEffect, useMemo, useSyncExternalStore } from 'react';
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

export interface UpstreamDown {
  /** Ids of the servers that did not answer ('' when a query names none). */
  servers: string[];
  /** Whether a screen still shows data from them (answers from before they went down). */
  dataShown: boolean;
}

function serverOf(query: Query): string {
  const [scope, server] = query.queryKey;
  return scope === 'whm' && typeof server === 'string' ? server : '';
}

/**
 * A query's latest attempt found WHM unreachable: its final error, or an attempt that failed
 * while the query still retries. The banner then says so at once, not after the retries.
 */
function sawUpstreamDown(query: Query): boolean {
  if (query.state.status === 'error' && isApiError(query.state.error, ...UPSTREAM_DOWN_CODES)) {
    return true;
  }
  return (
    query.state.fetchStatus === 'fetching' &&
    query.state.fetchFailureCount > 0 &&
    isApiError(query.state.fetchFailureReason, ...UPSTREAM_DOWN_CODES)
  );
}

function upstreamDownSnapshot(queries: Query[]): string {
  const down = new Set(queries.filter(sawUpstreamDown).map(serverOf));
  if (down.size === 0) return '';
  const dataShown = queries.some(
    (query) =>
      down.has(serverOf(query)) &&
      query.meta?.whmData !== false &&
      query.state.data !== undefined &&
      query.getObserversCount() > 0,
  );
  return JSON.stringify({ servers: [...down].sort(), dataShown });
}

/** Which servers WHM calls cannot reach right now, or null while every one answers. */
export function useUpstreamDown(): UpstreamDown | null {
  const queryClient = useQueryClient();
  const cache = queryClient.getQueryCache();
  // A string snapshot: useSyncExternalStore needs equal snapshots to compare equal.
  const snapshot = useSyncExternalStore(
    (notify) => cache.subscribe(notify),
    () => upstreamDownSnapshot(cache.getAll()),
  );
  return useMemo(() => (snapshot ? (JSON.parse(snapshot) as UpstreamDown) : null), [snapshot]);
}
