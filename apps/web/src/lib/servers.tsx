import { queryOptions, useQuery } from '@tanstack/react-query';
import { createContext, use, useState, type ReactNode } from 'react';
import { useSearchParams } from 'react-router';
import { api } from './api-client';

export interface WhmServer {
  id: string;
  label: string;
  demo: boolean;
}

export const serverKeys = { all: ['servers'] as const };

export function getServers(signal?: AbortSignal): Promise<{ servers: WhmServer[] }> {
  return api('/api/servers', { signal });
}

export const serversQueryOptions = queryOptions({
  queryKey: serverKeys.all,
  queryFn: ({ signal }) => getServers(signal),
  staleTime: 5 * 60_000,
});

interface ServerChoice {
  status: ReturnType<typeof useQuery<{ servers: WhmServer[] }>>;
  servers: WhmServer[];
  server: WhmServer | undefined;
  choose: (id: string) => void;
}

const ServerContext = createContext<ServerChoice | null>(null);

/**
 * The WHM server every screen talks to: the first configured one unless the operator picks another
 * or a link names one (`?server=ID`, as the fleet screen's rows link to a server's accounts).
 */
export function ServerProvider({ children }: { children: ReactNode }) {
  const status = useQuery(serversQueryOptions);
  const [params] = useSearchParams();
  const linked = params.get('server');
  const [chosen, setChosen] = useState<string | null>(linked);
  const [lastLinked, setLastLinked] = useState(linked);
  // A newly followed link chooses its server; the picker can still choose another afterwards.
  if (linked !== lastLinked) {
    setLastLinked(linked);
    if (linked) setChosen(linked);
  }
  const servers = status.data?.servers ?? [];
  const server = servers.find((s) => s.id === chosen) ?? servers[0];
  return (
    <ServerContext value={{ status, servers, server, choose: setChosen }}>{children}</ServerContext>
  );
}

export function useServerChoice(): ServerChoice {
  const choice = use(ServerContext);
  if (!choice) throw new Error('useServerChoice outside ServerProvider');
  return choice;
}

/** The chosen server's id; empty until /api/servers has answered (queries wait on it). */
export function useServerId(): string {
  return useServerChoice().server?.id ?? '';
}
