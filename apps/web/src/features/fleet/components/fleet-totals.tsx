import { ErrorPanel } from '../../../components/ui/error-panel';
import { formatClock, formatCount } from '../../../lib/format';
import { useOperator } from '../../../lib/operator';
import { useRefreshFleet, type Fleet } from '../api/fleet';
import { formatPercent } from './percent';

export function FleetTotals({ fleet }: { fleet: Fleet }) {
  const { totals, refreshedAt } = fleet;
  return (
    <section className="fleet-totals" aria-label="Fleet totals">
      <p className="fleet-coverage">
        <strong>{formatPercent(totals.coverage)}</strong> {formatCount(totals.enrolled)} of{' '}
        {formatCount(totals.accounts - totals.withoutFeature)} customer accounts have 2FA
      </p>
      <p>
        {formatCount(totals.reachable)} of {formatCount(totals.servers)} servers reachable
      </p>
      <p>
        policy on at {formatCount(totals.policyOn)} of {formatCount(totals.servers)} servers
      </p>
      {refreshedAt ? (
        <p className="muted">as of {formatClock(new Date(refreshedAt))}</p>
      ) : (
        <p className="muted">not read yet</p>
      )}
      <RefreshButton refreshing={fleet.refreshing} />
    </section>
  );
}

/** Admins start a reading of every server; the others see only the result. */
function RefreshButton({ refreshing }: { refreshing: boolean }) {
  const operator = useOperator();
  const refresh = useRefreshFleet();
  if (operator.role !== 'admin') return null;
  const busy = refreshing || refresh.isPending;
  return (
    <div>
      <button type="button" onClick={() => refresh.mutate()} disabled={busy}>
        {busy ? 'Refreshing…' : 'Refresh now'}
      </button>
      {refresh.error ? (
        <ErrorPanel error={refresh.error} title="The refresh did not start" />
      ) : null}
    </div>
  );
}
