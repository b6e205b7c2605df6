import { usePageTitle } from '../../lib/use-page-title';
import { FleetView } from '../../features/fleet/components/fleet-view';

export default function FleetRoute() {
  usePageTitle('Fleet');
  return <FleetView />;
}
