import { createColumnHelper } from '@tanstack/react-table';
import { useVirtualizer } from '@tanstack/react-virtual';
import { memo, useLayoutEffect, useRef } from 'react';
import { SortHeader } from '../../../components/table/sort-header';
import { useSortHeaders, type ColumnSort } from '../../../components/table/sorting';
import type { AccountRow, SortKey } from '../hooks/account-rows';

const ROW_HEIGHT = 40;

const column = createColumnHelper<AccountRow>();

/** A column by its sort key: the ids are the URL's `sort` values. */
function sortable(key: SortKey, header: string, className?: string) {
  return column.accessor(key, { header, meta: { className } });
}

// Headers and sorting rules only: the rows are sorted once per order and filtered per keystroke
// (account-rows.ts) and drawn below by hand, reusing their elements (ADR 010, ADR 019).
// On a phone the table scrolls sideways: who (left) and the 2FA state (right) stay in view.
const COLUMNS = [
  sortable('user', 'User', 'user-cell'),
  sortable('domain', 'Domain'),
  sortable('owner', 'Owner'),
  sortable('plan', 'Plan'),
  sortable('suspended', 'Suspended'),
  sortable('twoFactor', '2FA', 'two-factor-cell'),
];

interface AccountsTableProps {
  rows: readonly AccountRow[];
  /** The order the rows are in; a header click asks for the next one. */
  sort: ColumnSort<SortKey>;
  onSort: (sort: ColumnSort<SortKey>) => void;
  selected: ReadonlySet<string>;
  onToggle: (user: string, selected: boolean) => void;
  onToggleAll: (selected: boolean) => void;
  /** Every row in view the operator may change is selected. */
  allSelected: boolean;
  canSelectAny: boolean;
  /** Why this operator may not change a row, or null. */
  denial: (row: AccountRow) => string | null;
  /** Opens the account's drawer. */
  onOpen: (user: string) => void;
}

/** What had focus inside the rows: the account it belonged to and which of its controls. */
interface FocusedInRow {
  user: string;
  control: 'select' | 'open';
}

/**
 * Only the rows in view are in the DOM, so 10,000 accounts scroll as smoothly as 10. Rows are keyed
 * by their place in the window, not by account: scrolling then rewrites the text of the row elements
 * already there instead of building new ones, and creating elements (their style and layout) was what
 * made long frames while scrolling (ADR 010). Focus follows the account, not the element.
 */
export function AccountsTable({
  rows,
  sort,
  onSort,
  selected,
  onToggle,
  onToggleAll,
  allSelected,
  canSelectAny,
  denial,
  onOpen,
}: AccountsTableProps) {
  const scrollRef = useRef<HTMLDivElement>(null);
  const bodyRef = useRef<HTMLTableSectionElement>(null);
  const focusedInRow = useRef<FocusedInRow | null>(null);
  const table = useSortHeaders({ columns: COLUMNS, sort, onSort });
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the virtualizer re-renders this component itself
  const virtualizer = useVirtualizer({
    count: rows.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 6,
    initialRect: { width: 960, height: 600 },
  });

  const items = virtualizer.getVirtualItems();
  const firstIndex = items[0]?.index ?? 0;

  // After the window moves, the element that had focus may show another account: put focus back on
  // the account's own row, or on the list when that row has left the window.
  useLayoutEffect(() => {
    const remembered = focusedInRow.current;
    const body = bodyRef.current;
    const active = document.activeElement;
    if (!remembered || !body || !(active instanceof HTMLElement) || !body.contains(active)) return;
    if (active.closest('tr')?.dataset.user === remembered.user) return;
    const row = body.querySelector(`tr[data-user="${CSS.escape(remembered.user)}"]`);
    const control = row?.querySelector<HTMLElement>(
      remembered.control === 'select' ? 'input' : 'button',
    );
    (control ?? scrollRef.current)?.focus({ preventScroll: true });
  });

  return (
    <div
      className="table-scroll"
      ref={scrollRef}
      tabIndex={0}
      role="region"
      aria-label="Accounts list, scrollable"
    >
      <table className="accounts-table" aria-label="Accounts" aria-rowcount={rows.length + 1}>
        <thead>
          <tr aria-rowindex={1}>
            <th scope="col" className="select-cell">
              <input
                type="checkbox"
                aria-label="Select all accounts with 2FA in this view"
                checked={allSelected}
                disabled={!canSelectAny}
                onChange={(event) => onToggleAll(event.target.checked)}
              />
            </th>
            {table.getFlatHeaders().map((header) => (
              <SortHeader key={header.id} header={header} />
            ))}
          </tr>
        </thead>
        {/* One listener for every row: a click anywhere on a row but its checkbox opens the account. */}
        <tbody
          ref={bodyRef}
          // The rows sit in normal flow below a padding as tall as the rows above the window: moving
          // the window changes one style, where a transform per row restyled every row (ADR 010).
          style={{ height: virtualizer.getTotalSize(), paddingTop: items[0]?.start ?? 0 }}
          onFocus={(event) => {
            const user = event.target.closest('tr')?.dataset.user;
            focusedInRow.current = user
              ? { user, control: event.target instanceof HTMLInputElement ? 'select' : 'open' }
              : null;
          }}
          onBlur={(event) => {
            if (!event.currentTarget.contains(event.relatedTarget)) focusedInRow.current = null;
          }}
          onClick={(event) => {
            const target = event.target as HTMLElement;
            if (target.closest('input')) return;
            const user = target.closest('tr')?.dataset.user;
            if (user) onOpen(user);
          }}
        >
          {items.map((item) => {
            const row = rows[item.index];
            if (!row) return null;
            return (
              <AccountRowView
                key={item.index - firstIndex}
                row={row}
                index={item.index}
                selected={selected.has(row.user)}
                denial={denial(row)}
                onToggle={onToggle}
              />
            );
          })}
        </tbody>
      </table>
    </div>
  );
}

interface AccountRowViewProps {
  row: AccountRow;
  index: number;
  selected: boolean;
  denial: string | null;
  onToggle: (user: string, selected: boolean) => void;
}

const AccountRowView = memo(function AccountRowView({
  row,
  index,
  selected,
  denial,
  onToggle,
}: AccountRowViewProps) {
  const reasonId = `deny-${row.user}`;
  return (
    <tr aria-rowindex={index + 2} data-user={row.user}>
      <td className="select-cell">
        <input
          type="checkbox"
          aria-label={`Select ${row.user}`}
          aria-describedby={denial ? reasonId : undefined}
          title={denial ?? undefined}
          checked={selected}
          disabled={denial !== null}
          onChange={(event) => onToggle(row.user, event.target.checked)}
        />
        {denial ? (
          <span id={reasonId} className="visually-hidden">
            {denial}
          </span>
        ) : null}
      </td>
      <th scope="row" className="user-cell">
        <button type="button" className="link-button">
          {row.user}
        </button>
        {row.isReseller && row.user !== 'root' ? <span className="badge">reseller</span> : null}
      </th>
      <td>{row.domain}</td>
      <td>{row.owner}</td>
      <td>{row.plan}</td>
      <td>{row.suspended ? <span className="badge warn">suspended</span> : 'no'}</td>
      <td className="two-factor-cell">
        {row.twoFactorAvailable === false ? (
          <span className="badge off" title="Its package's feature list lacks twofactorauth.">
            2FA not available on this package
          </span>
        ) : (
          <span className={row.twoFactor ? 'badge on' : 'badge off'}>
            {row.twoFactor ? 'on' : 'off'}
          </span>
        )}
      </td>
    </tr>
  );
});
