import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { serverKeys } from '../../../lib/servers';
import { fleetKeys } from '../../fleet/api/fleet';

export type ServerSource = 'console' | 'file' | 'demo';

/** A server as GET /api/managed-servers lists it: never its token, nor its CA (only whether one is stored). */
export interface ManagedServer {
  id: string;
  label: string;
  url: string;
  user: string;
  tags: string[];
  hasCa: boolean;
  disabled: boolean;
  managedBy: ServerSource;
}

export interface ManagedServers {
  servers: ManagedServer[];
  /** False without CONSOLE_SECRET_KEY_FILE: the BFF stores no token then (409). */
  canStore: boolean;
}

export interface NewServer {
  id: string;
  label: string;
  url: string;
  user: string;
  token: string;
  ca?: string;
  tags: string[];
}

/** Only what changes: a token left out keeps the stored one, `ca: null` removes the stored CA. */
export interface ServerChange {
  label?: string;
  url?: string;
  user?: string;
  token?: string;
  ca?: string | null;
  tags?: string[];
  disabled?: boolean;
}

export type ConnectionProblem =
  'dns' | 'refused' | 'network' | 'tls' | 'unauthorized' | 'whm_refused' | 'not_whm' | 'too_slow';

export type ConnectionTest =
  | { ok: true; ms: number; policyEnabled: boolean }
  | { ok: false; ms: number; problem: ConnectionProblem; message: string };

/** A connection to try: with a token, or a stored server's id (then only at its own URL). */
export interface ConnectionToTest {
  id?: string;
  url: string;
  user: string;
  token?: string;
  /** `null`: test without the stored CA (it is to be removed). */
  ca?: string | null;
}

export const managedServerKeys = {
  all: ['managed-servers'] as const,
};

export const managedServersQueryOptions = queryOptions({
  queryKey: managedServerKeys.all,
  queryFn: ({ signal }) => api<ManagedServers>('/api/managed-servers', { signal }),
});

export function useManagedServers() {
  return useQuery(managedServersQueryOptions);
}

/** A change to the servers shows at once everywhere: this list, the server switcher, the fleet. */
function useInvalidateServers() {
  const queryClient = useQueryClient();
  return () => {
    void queryClient.invalidateQueries({ queryKey: managedServerKeys.all });
    void queryClient.invalidateQueries({ queryKey: serverKeys.all });
    void queryClient.invalidateQueries({ queryKey: fleetKeys.all });
  };
}

/** Needs step-up. */
export function useAddServer() {
  const invalidate = useInvalidateServers();
  return useMutation({
    mutationFn: (server: NewServer) =>
      api<{ server: ManagedServer }>('/api/managed-servers', { method: 'POST', body: server }),
    onSettled: invalidate,
  });
}

/** Needs step-up; 409 for a server from the file or the demo. */
export function useUpdateServer() {
  const invalidate = useInvalidateServers();
  return useMutation({
    mutationFn: ({ id, change }: { id: string; change: ServerChange }) =>
      api<{ server: ManagedServer }>(`/api/managed-servers/${encodeURIComponent(id)}`, {
        method: 'PATCH',
        body: change,
      }),
    onSettled: invalidate,
  });
}

/** Needs step-up; 409 for a server from the file or the demo. */
export function useRemoveServer() {
  const invalidate = useInvalidateServers();
  return useMutation({
    mutationFn: (id: string) =>
      api<void>(`/api/managed-servers/${encodeURIComponent(id)}`, { method: 'DELETE' }),
    onSettled: invalidate,
  });
}

/** One harmless read; nothing is stored, so no step-up. */
export function useTestConnection() {
  return useMutation({
    mutationFn: (connection: ConnectionToTest) =>
      api<ConnectionTest>('/api/managed-servers/test', { method: 'POST', body: connection }),
  });
}
