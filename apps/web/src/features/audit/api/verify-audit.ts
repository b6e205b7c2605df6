import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { auditKeys } from './get-audit';

export type AuditChainProblem =
  | 'record_altered'
  | 'head_missing'
  | 'records_missing'
  | 'head_mismatch'
  | 'head_unkeyed'
  | 'head_forged';

export interface AuditVerification {
  valid: boolean;
  count: number;
  firstBrokenId: number | null;
  /** Why the chain does not verify (docs/api.md); null when it does. */
  problem?: AuditChainProblem | null;
  /** The first record chained under the audit key. */
  keyedFrom?: number | null;
}

export function verifyAudit(signal?: AbortSignal) {
  return api<AuditVerification>('/api/audit/verify', { signal });
}

export const auditVerificationQueryOptions = queryOptions({
  queryKey: auditKeys.verify(),
  queryFn: ({ signal }) => verifyAudit(signal),
});

export function useAuditVerification() {
  return useQuery(auditVerificationQueryOptions);
}
