import { usePageTitle } from '../../lib/use-page-title';
import { PolicyPanel } from '../../features/policy/components/policy-panel';

export default function PolicyRoute() {
  usePageTitle('Two-factor policy');
  return <PolicyPanel />;
}
