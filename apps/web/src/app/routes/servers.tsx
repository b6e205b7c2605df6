import { usePageTitle } from '../../lib/use-page-title';
import { ServersAdmin } from '../../features/servers/components/servers-admin';

export default function ServersRoute() {
  usePageTitle('WHM servers');
  return <ServersAdmin />;
}
