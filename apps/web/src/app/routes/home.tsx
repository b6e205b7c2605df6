import { Navigate } from 'react-router';
import { ErrorPanel } from '../../components/ui/error-panel';
import { Loading } from '../../components/ui/loading';
import { paths } from '../../config/paths';
import { useServerChoice } from '../../lib/servers';

/** `/`: the fleet when there is one to see (more than one server), else the one server's accounts. */
export function HomeRoute() {
  const { status, servers } = useServerChoice();
  if (status.isError) {
    return <ErrorPanel error={status.error} onRetry={() => void status.refetch()} />;
  }
  if (status.isPending) return <Loading label="Loading the servers…" />;
  return <Navigate to={servers.length > 1 ? paths.fleet : paths.accounts} replace />;
}
