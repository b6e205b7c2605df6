import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';

/** The fields of an audit record the account drawer shows (docs/api.md has them all). */
export interface AccountAuditRecord {
  id: number;
  at: string;
  kind: string;
  operator: string;
  server: string | null;
  function: string | null;
  target: string[];
  reason: string | null;
  outcome: 'success' | 'partial' | 'failure' | 'unknown' | null;
}

/** The latest changes are what a support call asks about. */
export const ACCOUNT_AUDIT_LIMIT = 20;

export const accountAuditKeys = {
  all: ['audit'] as const,
  account: (server: string, user: string) =>
    [...accountAuditKeys.all, 'account', server, user] as const,
};

export async function getAccountAudit(server: string, user: string, signal?: AbortSignal) {
  const answer = await api<{ records: AccountAuditRecord[] }>('/api/audit', {
    query: { target: user, limit: ACCOUNT_AUDIT_LIMIT },
    signal,
  });
  // `target` may match part of a name ("bob" in "bobby"): keep this account's and this server's.
  return answer.records.filter(
    (record) => record.server === server && record.target.includes(user),
  );
}

export function accountAuditQueryOptions(server: string, user: string) {
  return queryOptions({
    queryKey: accountAuditKeys.account(server, user),
    queryFn: ({ signal }) => getAccountAudit(server, user, signal),
  });
}

export function useAccountAudit(server: string, user: string, enabled: boolean) {
  return useQuery({ ...accountAuditQueryOptions(server, user), enabled });
}
