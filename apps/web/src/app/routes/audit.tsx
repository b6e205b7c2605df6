import { usePageTitle } from '../../lib/use-page-title';
import { AuditLog } from '../../features/audit/components/audit-log';

export default function AuditRoute() {
  usePageTitle('Audit log');
  return <AuditLog />;
}
