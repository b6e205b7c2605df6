import { useMutation } from '@tanstack/react-query';
import { apiText } from '../../../lib/api-client';
import { downloadText } from '../../../lib/csv';
import type { AuditFilters } from './get-audit';

/**
 * Fetched rather than linked: every /api request must carry `X-CSRF: 1`, which a plain link
 * cannot send.
 */
export async function exportAuditCsv(filters: AuditFilters): Promise<void> {
  const csv = await apiText('/api/audit.csv', { query: { ...filters } });
  downloadText(`audit-${new Date().toISOString().slice(0, 10)}.csv`, csv);
}

export function useExportAudit() {
  return useMutation({ mutationFn: exportAuditCsv });
}
