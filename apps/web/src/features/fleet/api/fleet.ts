import { queryOptions, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** One server's last reading; `coverage` is enrolled ÷ customer accounts whose package has 2FA. */
export interface FleetSnapshot {
  at: string;
  reachable: boolean;
  fault: string | null;
  policyEnabled: boolean | null;
  issuer: string | null;
  accounts: number;
  enrolled: number;
  withoutFeature: number;
  suspended: number;
  coverage: number | null;
}

export interface FleetServer {
  id: string;
  label: string;
  tags: string[];
  /** null: never read yet. */
  snapshot: FleetSnapshot | null;
}

export interface FleetTotals {
  servers: number;
  reachable: number;
  accounts: number;
  enrolled: number;
  withoutFeature: number;
  suspended: number;
  policyOn: number;
  coverage: number | null;
}

export interface Fleet {
  refreshedAt: string | null;
  refreshing: boolean;
  totals: FleetTotals;
  servers: FleetServer[];
}

export const HISTORY_DAYS = [7, 30, 90] as const;
export type HistoryDays = (typeof HISTORY_DAYS)[number];

export interface FleetHistory {
  days: number;
  fleet: { day: string; accounts: number; enrolled: number; coverage: number | null }[];
  servers: Record<string, { day: string; coverage: number | null }[]>;
}

export interface FleetMatch {
  server: string;
  serverLabel: string;
  user: string;
  domain: string;
  owner: string;
  plan: string;
  twoFactor: 'on' | 'off' | 'unavailable';
  suspended: boolean;
}

export interface FleetSearch {
  query: string;
  matches: FleetMatch[];
  truncated: boolean;
}

/** The BFF refuses shorter queries (400 invalid_params, field q). */
export const MIN_SEARCH_LENGTH = 2;

export const fleetKeys = {
  all: ['fleet'] as const,
  summary: () => [...fleetKeys.all, 'summary'] as const,
  history: (days: HistoryDays) => [...fleetKeys.all, 'history', days] as const,
  search: (q: string) => [...fleetKeys.all, 'search', q] as const,
};

export function useFleet() {
  return useQuery(
    queryOptions({
      queryKey: fleetKeys.summary(),
      queryFn: ({ signal }) => api<Fleet>('/api/fleet', { signal }),
      // While the BFF reads the servers, look again every few seconds to see it finish.
      refetchInterval: (query) => (query.state.data?.refreshing ? 3000 : false),
    }),
  );
}

export function useFleetHistory(days: HistoryDays) {
  return useQuery({
    queryKey: fleetKeys.history(days),
    queryFn: ({ signal }) => api<FleetHistory>('/api/fleet/history', { query: { days }, signal }),
  });
}

export function useFleetSearch(q: string) {
  return useQuery({
    queryKey: fleetKeys.search(q),
    queryFn: ({ signal }) => api<FleetSearch>('/api/fleet/search', { query: { q }, signal }),
    enabled: q.length >= MIN_SEARCH_LENGTH,
  });
}

/** Admins only: the BFF starts reading every server and answers 202 at once. */
export function useRefreshFleet() {
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: () => api<{ refreshing: true }>('/api/fleet/refresh', { method: 'POST' }),
    onSuccess: () => queryClient.invalidateQueries({ queryKey: fleetKeys.all }),
  });
}
