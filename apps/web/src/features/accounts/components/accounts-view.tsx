import { useCallback, useDeferredValue, useEffect, useMemo, useRef, useState } from 'react';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { useOperator } from '../../../lib/operator';
import { removalDenial, VIEWER_READ_ONLY } from '../../../lib/authorization';
import { downloadText, toCsv } from '../../../lib/csv';
import { useServerId } from '../../../lib/servers';
import { useAccounts } from '../api/get-accounts';
import { useTwoFactorConfigs } from '../api/get-two-factor-configs';
import {
  accountsCsvRows,
  computeCoverage,
  filterAccounts,
  joinAccounts,
  type AccountRow,
} from '../hooks/account-rows';
import { useAccountFilters } from '../hooks/use-account-filters';
import { AccountsTable } from './accounts-table';
import { CoverageSummary } from './coverage-summary';
import { RemoveTwoFactorDialog } from './remove-two-factor-dialog';

export function AccountsView() {
  const server = useServerId();
  const operator = useOperator();
  const accounts = useAccounts(server);
  const configs = useTwoFactorConfigs(server);
  const { filters, update, toggleSort } = useAccountFilters();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [removing, setRemoving] = useState<string[] | null>(null);

  const rows = useMemo(
    () =>
      accounts.data && configs.data ? joinAccounts(accounts.data.data, configs.data.data) : [],
    [accounts.data, configs.data],
  );
  const coverage = useMemo(() => computeCoverage(rows), [rows]);
  const owners = useMemo(() => coverage.byOwner.map((entry) => entry.owner).sort(), [coverage]);

  // Typing stays responsive: the list catches up with the search box a frame later.
  const deferredFilters = useDeferredValue(filters);
  const view = useMemo(() => filterAccounts(rows, deferredFilters), [rows, deferredFilters]);

  const role = operator.role;
  const denial = useCallback((row: AccountRow) => removalDenial(role, row), [role]);
  const selectable = useMemo(() => view.filter((row) => denial(row) === null), [view, denial]);
  const allSelected = selectable.length > 0 && selectable.every((row) => selected.has(row.user));

  const toggle = useCallback((user: string, on: boolean) => {
    setSelected((current) => {
      const next = new Set(current);
      if (on) next.add(user);
      else next.delete(user);
      return next;
    });
  }, []);

  const toggleAll = useCallback(
    (on: boolean) => {
      setSelected((current) => {
        const next = new Set(current);
        for (const row of selectable) {
          if (on) next.add(row.user);
          else next.delete(row.user);
        }
        return next;
      });
    },
    [selectable],
  );

  // Only accounts that still exist and that this operator may change.
  const chosen = useMemo(
    () => rows.filter((row) => selected.has(row.user) && denial(row) === null).map((r) => r.user),
    [rows, selected, denial],
  );

  function exportCsv() {
    const { header, rows: lines } = accountsCsvRows(view);
    downloadText(
      `accounts-${server}-${new Date().toISOString().slice(0, 10)}.csv`,
      toCsv(header, lines),
    );
  }

  const failed = accounts.error ?? configs.error;
  if (failed) {
    return (
      <ErrorPanel
        error={failed}
        onRetry={() => {
          void accounts.refetch();
          void configs.refetch();
        }}
      />
    );
  }
  if (!accounts.data || !configs.data) return <Loading label="Loading accounts…" />;

  const removeReason =
    role === 'viewer' ? VIEWER_READ_ONLY : chosen.length === 0 ? 'Select accounts first.' : null;

  return (
    <div className="stack">
      <div className="page-title">
        <h1>Accounts</h1>
        {accounts.isFetching || configs.isFetching ? (
          <span className="muted small" role="status">
            Refreshing…
          </span>
        ) : null}
      </div>
      <CoverageSummary coverage={coverage} />
      <div role="search" className="filters" aria-label="Filter accounts">
        <label className="field grow">
          <span>Search</span>
          <SearchInput value={filters.search} onChange={(search) => update({ search })} />
        </label>
        <label className="field">
          <span>2FA</span>
          <select
            value={filters.twoFactor}
            onChange={(event) => update({ twoFactor: event.target.value as 'on' | 'off' | '' })}
          >
            <option value="">Any</option>
            <option value="on">On</option>
            <option value="off">Off</option>
          </select>
        </label>
        <label className="field">
          <span>Owner</span>
          <select value={filters.owner} onChange={(event) => update({ owner: event.target.value })}>
            <option value="">Any</option>
            {owners.map((owner) => (
              <option key={owner} value={owner}>
                {owner}
              </option>
            ))}
          </select>
        </label>
        <label className="field">
          <span>Suspended</span>
          <select
            value={filters.suspended}
            onChange={(event) => update({ suspended: event.target.value as 'yes' | 'no' | '' })}
          >
            <option value="">Any</option>
            <option value="yes">Suspended</option>
            <option value="no">Active</option>
          </select>
        </label>
      </div>
      <div className="toolbar">
        <p className="muted" role="status" aria-live="polite">
          Showing {view.length} of {rows.length} accounts
          {chosen.length > 0 ? `, ${chosen.length} selected` : ''}
        </p>
        <div className="actions">
          {chosen.length > 0 ? (
            <button type="button" onClick={() => setSelected(new Set())}>
              Clear selection
            </button>
          ) : null}
          <button type="button" onClick={exportCsv} disabled={view.length === 0}>
            Export CSV
          </button>
          <button
            type="button"
            className="danger"
            disabled={removeReason !== null}
            aria-describedby="remove-reason"
            onClick={() => setRemoving(chosen)}
          >
            Remove 2FA{chosen.length > 0 ? ` (${chosen.length})` : ''}
          </button>
        </div>
      </div>
      <p id="remove-reason" className="muted small">
        {role === 'viewer'
          ? VIEWER_READ_ONLY
          : role === 'support'
            ? 'Support can remove 2FA from ordinary accounts only: not root, not resellers.'
            : (removeReason ?? 'Removes 2FA from the selected accounts.')}
      </p>
      {view.length === 0 ? (
        <p className="empty">
          {rows.length === 0 ? 'This server has no accounts.' : 'No account matches these filters.'}
        </p>
      ) : (
        <AccountsTable
          rows={view}
          filters={filters}
          onSort={toggleSort}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          allSelected={allSelected}
          canSelectAny={selectable.length > 0}
          denial={denial}
        />
      )}
      <RemoveTwoFactorDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        onFinished={() => setSelected(new Set())}
        server={server}
        users={removing ?? []}
        totpEnabled={operator.totpEnabled}
      />
    </div>
  );
}

/**
 * The text lives here, not in the URL: the URL follows each keystroke through a router navigation,
 * and those land late (several at once, or an earlier prefix after a later one). Values the URL
 * reports that this input sent itself are echoes and ignored; anything else (back, a link) is a
 * change from outside and replaces the text.
 */
function SearchInput({ value, onChange }: { value: string; onChange: (value: string) => void }) {
  const [text, setText] = useState(value);
  const sent = useRef<string[]>([]);
  useEffect(() => {
    const echo = sent.current.indexOf(value);
    if (echo >= 0) {
      sent.current = sent.current.slice(echo + 1);
      return;
    }
    sent.current = [];
    setText(value);
  }, [value]);
  return (
    <input
      type="search"
      name="q"
      placeholder="User, domain, owner or plan"
      value={text}
      onChange={(event) => {
        sent.current.push(event.target.value);
        setText(event.target.value);
        onChange(event.target.value);
      }}
    />
  );
}
