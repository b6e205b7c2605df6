import { PolicyPanel } from '../../features/policy/components/policy-panel';

export default function PolicyRoute() {
  return <PolicyPanel />;
}
