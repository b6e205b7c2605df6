import { lazy, Suspense, useState } from 'react';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { HISTORY_DAYS, useFleetHistory, type FleetHistory, type HistoryDays } from '../api/fleet';
import { formatPercent } from './percent';

const CoverageChart = lazy(() => import('./coverage-chart'));

/** "coverage went from 31% to 38% in 30 days", from the first and last day that had a value. */
export function historySummary(history: FleetHistory): string {
  const known = history.fleet.filter((d) => d.coverage !== null);
  const first = known[0];
  const last = known.at(-1);
  if (!first || !last) return `No coverage recorded in the last ${history.days} days.`;
  return `coverage went from ${formatPercent(first.coverage)} to ${formatPercent(last.coverage)} in ${history.days} days`;
}

export function CoverageHistory() {
  const [days, setDays] = useState<HistoryDays>(30);
  const history = useFleetHistory(days);
  return (
    <section aria-labelledby="coverage-history-heading">
      <h2 id="coverage-history-heading">Coverage over time</h2>
      <div role="group" aria-label="Period" className="segmented">
        {HISTORY_DAYS.map((d) => (
          <button key={d} type="button" aria-pressed={d === days} onClick={() => setDays(d)}>
            {d} days
          </button>
        ))}
      </div>
      {history.isPending ? (
        <Loading label="Loading the coverage history…" />
      ) : history.error ? (
        <ErrorPanel error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.fleet.length === 0 ? (
        <p>No history yet: the first day is recorded after the first refresh.</p>
      ) : (
        <>
          <p className="coverage-summary">{historySummary(history.data)}</p>
          <Suspense fallback={<Loading label="Loading the chart…" />}>
            <CoverageChart history={history.data} />
          </Suspense>
        </>
      )}
    </section>
  );
}
