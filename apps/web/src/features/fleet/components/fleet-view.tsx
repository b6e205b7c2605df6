import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useFleet } from '../api/fleet';
import { CoverageHistory } from './coverage-history';
import { FleetSearch } from './fleet-search';
import { FleetServers } from './fleet-servers';
import { FleetTotals } from './fleet-totals';
import { FleetChanges } from './fleet-changes';
import { useOperator } from '../../../lib/operator';

/** Every configured server at once, from the BFF's periodic snapshots (no WHM call per view). */
export function FleetView() {
  const fleet = useFleet();
  const operator = useOperator();
  return (
    <>
      <h1>Fleet</h1>
      {fleet.isPending ? (
        <Loading label="Loading the fleet…" />
      ) : fleet.error ? (
        <ErrorPanel error={fleet.error} onRetry={() => void fleet.refetch()} />
      ) : fleet.data.servers.length === 0 ? (
        <p>No servers yet: the first refresh runs at start-up.</p>
      ) : (
        <>
          <FleetTotals fleet={fleet.data} />
          <FleetSearch />
          <FleetServers servers={fleet.data.servers} />
          {operator.role === 'admin' ? <FleetChanges servers={fleet.data.servers} /> : null}
          <CoverageHistory servers={fleet.data.servers} />
        </>
      )}
    </>
  );
}
