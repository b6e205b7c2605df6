import { lazy, Suspense, useState } from 'react';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import {
  HISTORY_DAYS,
  useFleetHistory,
  type FleetHistory,
  type FleetServer,
  type HistoryDays,
} from '../api/fleet';
import { formatPercent } from './percent';

const CoverageChart = lazy(() => import('./coverage-chart'));

/** One line of the chart: a day and its coverage (a fraction, null when nothing could enroll). */
export type CoveragePoint = { day: string; coverage: number | null };

/** "coverage went from 31% to 38% in 30 days", from the first and last day that had a value. */
export function historySummary(points: readonly CoveragePoint[], days: number): string {
  const known = points.filter((d) => d.coverage !== null);
  const first = known[0];
  const last = known.at(-1);
  if (!first || !last) return `No coverage recorded in the last ${days} days.`;
  return `coverage went from ${formatPercent(first.coverage)} to ${formatPercent(last.coverage)} in ${days} days`;
}

const FLEET = '';
const NO_POINTS: CoveragePoint[] = [];

/** The whole fleet's line, or one server's. */
function pointsOf(history: FleetHistory, server: string): CoveragePoint[] {
  return server === FLEET ? history.fleet : (history.servers[server] ?? NO_POINTS);
}

export function CoverageHistory({ servers }: { servers: readonly FleetServer[] }) {
  const [days, setDays] = useState<HistoryDays>(30);
  const [server, setServer] = useState(FLEET);
  const history = useFleetHistory(days);
  const label = servers.find((s) => s.id === server)?.label;
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
      <label className="field inline">
        <span>Show</span>
        <select value={server} onChange={(event) => setServer(event.target.value)}>
          <option value={FLEET}>the whole fleet</option>
          {servers.map((s) => (
            <option key={s.id} value={s.id}>
              {s.label}
            </option>
          ))}
        </select>
      </label>
      {history.isPending ? (
        <Loading label="Loading the coverage history…" />
      ) : history.error ? (
        <ErrorPanel error={history.error} onRetry={() => void history.refetch()} />
      ) : history.data.fleet.length === 0 ? (
        <p>No history yet: the first day is recorded after the first refresh.</p>
      ) : (
        <>
          <p className="coverage-summary">
            {label ? `${label}: ` : ''}
            {historySummary(pointsOf(history.data, server), history.data.days)}
          </p>
          <Suspense fallback={<Loading label="Loading the chart…" />}>
            <CoverageChart points={pointsOf(history.data, server)} label={label ?? 'Fleet'} />
          </Suspense>
        </>
      )}
    </section>
  );
}
