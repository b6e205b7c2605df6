import { usePageTitle } from '../../lib/use-page-title';
import { OperatorsAdmin } from '../../features/operators/components/operators-admin';

export default function OperatorsRoute() {
  usePageTitle('Operators');
  return <OperatorsAdmin />;
}
