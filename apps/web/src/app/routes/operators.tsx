import { OperatorsAdmin } from '../../features/operators/components/operators-admin';

export default function OperatorsRoute() {
  return <OperatorsAdmin />;
}
