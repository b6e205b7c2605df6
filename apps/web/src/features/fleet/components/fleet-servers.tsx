import { useId, useState } from 'react';
import { downloadText, toCsv } from '../../../lib/csv';
import type { FleetServer } from '../api/fleet';
import { ALL_TAGS, allTags, filterServers, type FleetFilter, type FleetState } from './fleet-rows';
import { FleetTable } from './fleet-table';

const STATES: { value: FleetState; label: string }[] = [
  { value: 'all', label: 'all' },
  { value: 'policy-off', label: 'policy off' },
  { value: 'unreachable', label: 'unreachable' },
  { value: 'coverage-under', label: 'coverage under X%' },
];

function exportCsv(servers: FleetServer[]) {
  const header = ['id', 'label', 'tags', 'reachable', 'fault', 'policy', 'issuer'];
  const rows = servers.map((s) => [
    s.id,
    s.label,
    s.tags.join(' '),
    s.snapshot ? s.snapshot.reachable : '',
    s.snapshot?.fault ?? '',
    s.snapshot?.policyEnabled ?? '',
    s.snapshot?.issuer ?? '',
    s.snapshot?.accounts ?? '',
    s.snapshot?.enrolled ?? '',
    s.snapshot?.coverage ?? '',
    s.snapshot?.at ?? '',
  ]);
  downloadText(
    'fleet.csv',
    toCsv([...header, 'accounts', 'enrolled', 'coverage', 'read at'], rows),
  );
}

export function FleetServers({ servers }: { servers: FleetServer[] }) {
  const [filter, setFilter] = useState<FleetFilter>({ tag: ALL_TAGS, state: 'all', under: 50 });
  const id = useId();
  const shown = filterServers(servers, filter);
  return (
    <section aria-labelledby={`${id}-heading`}>
      <h2 id={`${id}-heading`}>Servers</h2>
      <div className="filters">
        <label>
          Tag{' '}
          <select
            value={filter.tag}
            onChange={(e) => setFilter({ ...filter, tag: e.target.value })}
          >
            <option value={ALL_TAGS}>all tags</option>
            {allTags(servers).map((tag) => (
              <option key={tag} value={tag}>
                {tag}
              </option>
            ))}
          </select>
        </label>
        <label>
          State{' '}
          <select
            value={filter.state}
            onChange={(e) => setFilter({ ...filter, state: e.target.value as FleetState })}
          >
            {STATES.map((s) => (
              <option key={s.value} value={s.value}>
                {s.label}
              </option>
            ))}
          </select>
        </label>
        {filter.state === 'coverage-under' ? (
          <label>
            Coverage under (%){' '}
            <input
              type="number"
              min={0}
              max={100}
              value={filter.under}
              onChange={(e) => setFilter({ ...filter, under: Number(e.target.value) })}
            />
          </label>
        ) : null}
        <button type="button" onClick={() => exportCsv(shown)} disabled={shown.length === 0}>
          Export CSV
        </button>
      </div>
      <p className="muted" aria-live="polite">
        {shown.length} of {servers.length} servers shown
      </p>
      {shown.length === 0 ? (
        <p>No server matches these filters.</p>
      ) : (
        <FleetTable servers={shown} />
      )}
    </section>
  );
}
