import { infiniteQueryOptions, useInfiniteQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

export type AuditOutcome = 'success' | 'partial' | 'failure' | 'unknown';

export interface AuditRecord {
  id: number;
  at: string;
  kind: 'intent' | 'outcome' | 'denied' | 'session' | 'operator' | 'chain';
  operator: string | null;
  role: string | null;
  sourceIp: string | null;
  server: string | null;
  function: string | null;
  target: string[];
  reason: string | null;
  requestId: string | null;
  outcome: AuditOutcome | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface AuditFilters {
  operator: string;
  function: string;
  outcome: string;
  /** Comma-separated kinds to keep, or empty for every kind. */
  kind: string;
  /** Part of a target name. */
  target: string;
  /** ISO 8601 instants, or empty. */
  from: string;
  to: string;
}

export const AUDIT_PAGE_SIZE = 100;

export const auditKeys = {
  all: ['audit'] as const,
  list: (filters: AuditFilters) => [...auditKeys.all, 'list', filters] as const,
  verify: () => [...auditKeys.all, 'verify'] as const,
};

export function getAudit(filters: AuditFilters, before: number | null, signal?: AbortSignal) {
  return api<{ records: AuditRecord[]; nextBefore: number | null }>('/api/audit', {
    query: { ...filters, limit: AUDIT_PAGE_SIZE, before },
    signal,
  });
}

export function auditQueryOptions(filters: AuditFilters) {
  return infiniteQueryOptions({
    queryKey: auditKeys.list(filters),
    queryFn: ({ pageParam, signal }) => getAudit(filters, pageParam, signal),
    initialPageParam: null as number | null,
    getNextPageParam: (page) => page.nextBefore,
  });
}

export function useAudit(filters: AuditFilters) {
  return useInfiniteQuery(auditQueryOptions(filters));
}
