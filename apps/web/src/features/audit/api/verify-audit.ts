import { queryOptions, useQuery } from '@tanstack/react-query';
import { api } from '../../../lib/api-client';
import { auditKeys } from './get-audit';

export interface AuditVerification {
  valid: boolean;
  count: number;
  firstBrokenId: number | null;
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
