import { useCallback, useDeferredValue, useMemo, useState } from 'react';
import { ErrorPanel } from '../../../components/ui/error-panel';
import { Loading } from '../../../components/ui/loading';
import { removalDenial, VIEWER_READ_ONLY } from '../../../lib/authorization';
import { downloadText, toCsv } from '../../../lib/csv';
import { countOf, formatClock, formatCount } from '../../../lib/format';
import { useOperator } from '../../../lib/operator';
import { useServerId } from '../../../lib/servers';
import { useAccounts } from '../api/get-accounts';
import { usePolicyEnabled } from '../api/get-policy-status';
import { useResellers } from '../api/get-resellers';
import { useTwoFactorAvailability } from '../api/get-two-factor-availability';
import { useTwoFactorConfigs } from '../api/get-two-factor-configs';
import {
  accountsCsvRows,
  computeCoverage,
  joinAccounts,
  keepMatching,
  naturalCompare,
  sortAccounts,
  type AccountRow,
} from '../hooks/account-rows';
import { useAccountFilters } from '../hooks/use-account-filters';
import { AccountDrawer } from './account-drawer';
import { AccountFilters } from './account-filters';
import { AccountsTable } from './accounts-table';
import { CoverageSummary } from './coverage-summary';
import { RemoveTwoFactorDialog } from './remove-two-factor-dialog';

interface Removal {
  users: string[];
  /** Selected accounts left out: they have no 2FA to remove. */
  skipped: number;
  /** Started from the selection (cleared when done), not from one account's drawer. */
  fromSelection: boolean;
}

export function AccountsView() {
  const server = useServerId();
  const operator = useOperator();
  const accounts = useAccounts(server);
  const configs = useTwoFactorConfigs(server);
  const resellers = useResellers(server);
  const policy = usePolicyEnabled(server);
  const availability = useTwoFactorAvailability(server);
  const { filters, update, sortBy, clear } = useAccountFilters();
  const [selected, setSelected] = useState<ReadonlySet<string>>(() => new Set());
  const [removing, setRemoving] = useState<Removal | null>(null);
  const [opened, setOpened] = useState<string | null>(null);

  const rows = useMemo(
    () =>
      accounts.data && configs.data
        ? joinAccounts(accounts.data.data, configs.data.data, resellers.data, availability.data)
        : [],
    [accounts.data, configs.data, resellers.data, availability.data],
  );
  // Not feature-aware once the read settled without a package list (the BFF could not read WHM's).
  const featureAware = availability.isSuccess
    ? availability.data !== undefined
    : availability.isError
      ? false
      : undefined;
  const coverage = useMemo(() => computeCoverage(rows), [rows]);
  const owners = useMemo(
    () => coverage.byOwner.map((entry) => entry.owner).sort(naturalCompare),
    [coverage],
  );

  // Typing stays responsive: the list catches up with the search box a frame later.
  const deferredFilters = useDeferredValue(filters);
  const { sort, dir } = deferredFilters;
  const sorted = useMemo(() => sortAccounts(rows, sort, dir), [rows, sort, dir]);
  const view = useMemo(() => keepMatching(sorted, deferredFilters), [sorted, deferredFilters]);

  const role = operator.role;
  const denial = useCallback((row: AccountRow) => removalDenial(role, row), [role]);
  // "Select all" takes what removal would change: accounts with 2FA on; root only when ticked itself.
  const selectable = useMemo(
    () => view.filter((row) => row.twoFactor && row.user !== 'root' && denial(row) === null),
    [view, denial],
  );
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
    () => rows.filter((row) => selected.has(row.user) && denial(row) === null),
    [rows, selected, denial],
  );
  // What removal would really change: a selected account without 2FA has nothing to remove.
  const toRemove = useMemo(() => chosen.filter((row) => row.twoFactor), [chosen]);
  const chosenShown = useMemo(
    () => view.reduce((n, row) => n + (selected.has(row.user) && denial(row) === null ? 1 : 0), 0),
    [view, selected, denial],
  );
  const filterOwner = useCallback((owner: string) => update({ owner }), [update]);
  const showUnavailable = useCallback(() => update({ twoFactor: 'unavailable' }), [update]);
  const openedRow = useMemo(() => rows.find((row) => row.user === opened), [rows, opened]);

  const refresh = useCallback(() => {
    void accounts.refetch();
    void configs.refetch();
    void policy.refetch();
    void resellers.refetch();
    void availability.refetch();
  }, [accounts, configs, policy, resellers, availability]);

  function exportCsv() {
    const { header, rows: lines } = accountsCsvRows(view);
    downloadText(
      `accounts-${server}-${new Date().toISOString().slice(0, 10)}.csv`,
      toCsv(header, lines),
    );
  }

  const failed = accounts.error ?? configs.error;
  if (failed) return <ErrorPanel error={failed} onRetry={refresh} />;
  if (!accounts.data || !configs.data) return <Loading label="Loading accounts…" />;

  const removeReason =
    role === 'viewer'
      ? VIEWER_READ_ONLY
      : chosen.length === 0
        ? 'Select accounts first.'
        : toRemove.length === 0
          ? 'None of the selected accounts has 2FA on.'
          : null;
  const asOf = Math.min(accounts.dataUpdatedAt, configs.dataUpdatedAt);

  return (
    <div className="stack">
      <div className="page-title">
        <h1>Accounts</h1>
        <span className="muted small" data-testid="as-of">
          as of {formatClock(asOf)}
        </span>
        <button
          type="button"
          onClick={refresh}
          disabled={accounts.isFetching || configs.isFetching}
        >
          Refresh
        </button>
        {accounts.isFetching || configs.isFetching ? (
          <span className="muted small" role="status">
            Refreshing…
          </span>
        ) : null}
      </div>
      <CoverageSummary
        coverage={coverage}
        policyEnabled={policy.data}
        featureAware={featureAware}
        onOwner={filterOwner}
        onUnavailable={showUnavailable}
      />
      <AccountFilters filters={filters} update={update} owners={owners} />
      <div className="toolbar">
        <p className="muted" role="status" aria-live="polite">
          Showing {formatCount(view.length)} of {countOf(rows.length, 'account')}
          {chosen.length > 0 ? `, ${formatCount(chosen.length)} selected` : ''}
          {chosenShown < chosen.length ? `, ${formatCount(chosenShown)} of them shown` : ''}
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
            onClick={() =>
              setRemoving({
                users: toRemove.map((row) => row.user),
                skipped: chosen.length - toRemove.length,
                fromSelection: true,
              })
            }
          >
            Remove 2FA{toRemove.length > 0 ? ` (${formatCount(toRemove.length)})` : ''}
          </button>
        </div>
      </div>
      <p id="remove-reason" className="muted small">
        {role === 'viewer'
          ? VIEWER_READ_ONLY
          : role === 'support'
            ? 'Support can remove 2FA from ordinary accounts only: not root, not resellers.'
            : (removeReason ?? 'Removes 2FA from the selected accounts that have it.')}
      </p>
      {view.length === 0 ? (
        <div className="empty">
          {rows.length === 0 ? (
            <p>This server has no accounts.</p>
          ) : (
            <>
              <p>No account matches these filters.</p>
              <button type="button" onClick={clear}>
                Clear filters
              </button>
            </>
          )}
        </div>
      ) : (
        <AccountsTable
          rows={view}
          sort={{ key: filters.sort, dir: filters.dir }}
          onSort={sortBy}
          selected={selected}
          onToggle={toggle}
          onToggleAll={toggleAll}
          allSelected={allSelected}
          canSelectAny={selectable.length > 0}
          denial={denial}
          onOpen={setOpened}
        />
      )}
      <AccountDrawer
        server={server}
        account={removing === null ? openedRow : undefined}
        role={role}
        onClose={() => setOpened(null)}
        onRemove={(user) => setRemoving({ users: [user], skipped: 0, fromSelection: false })}
      />
      <RemoveTwoFactorDialog
        open={removing !== null}
        onClose={() => setRemoving(null)}
        onFinished={() => {
          if (removing?.fromSelection) setSelected(new Set());
        }}
        server={server}
        users={removing?.users ?? []}
        skipped={removing?.skipped ?? 0}
        totpEnabled={operator.totpEnabled}
      />
    </div>
  );
}
