import { createColumnHelper } from '@tanstack/react-table';
import { memo, useMemo } from 'react';
import { SortHeader } from '../../../components/table/sort-header';
import { useSortedTable } from '../../../components/table/sorting';
import { countOf, formatCount } from '../../../lib/format';
import {
  naturalCompare,
  percentOf,
  type Coverage,
  type OwnerCoverage,
} from '../hooks/account-rows';

const column = createColumnHelper<OwnerCoverage>();

const OWNER_COLUMNS = [
  column.accessor('owner', {
    header: 'Owner',
    sortingFn: (a, b) => naturalCompare(a.original.owner, b.original.owner),
  }),
  column.accessor('total', { header: 'Accounts', sortingFn: 'basic' }),
  column.accessor('enabled', { header: '2FA on', sortingFn: 'basic' }),
  column.accessor((entry) => percentOf(entry.enabled, entry.total), {
    id: 'percent',
    header: 'Percent',
    sortingFn: 'basic',
  }),
];

interface CoverageSummaryProps {
  coverage: Coverage;
  /** The server-wide 2FA policy: undefined while unknown. */
  policyEnabled: boolean | undefined;
  /** Whether accounts without the 2FA feature are known (and counted apart): undefined while read. */
  featureAware: boolean | undefined;
  /** Filters the accounts list to this owner's accounts. */
  onOwner: (owner: string) => void;
  /** Filters the accounts list to the accounts whose package lacks the 2FA feature. */
  onUnavailable: () => void;
}

/** Memoized: 200 owners' rows need not re-render on every keystroke in the search box. */
export const CoverageSummary = memo(function CoverageSummary({
  coverage,
  policyEnabled,
  featureAware,
  onOwner,
  onUnavailable,
}: CoverageSummaryProps) {
  // TanStack keeps the given order between equal rows, whichever the direction: given by name,
  // owners with as many accounts stay in natural order (reseller2 before reseller10).
  const byName = useMemo(
    () => [...coverage.byOwner].sort((a, b) => naturalCompare(a.owner, b.owner)),
    [coverage.byOwner],
  );
  const table = useSortedTable({
    data: byName,
    columns: OWNER_COLUMNS,
    initialSort: { key: 'total', dir: 'desc' },
  });

  return (
    <section className="coverage card" aria-labelledby="coverage-title">
      <h2 id="coverage-title">2FA coverage</h2>
      <p className="coverage-total">
        <strong data-testid="coverage-count">
          {formatCount(coverage.enabled)} of {countOf(coverage.total, 'customer account')}
        </strong>{' '}
        {coverage.enabled === 1 ? 'has' : 'have'} 2FA set up (
        <span data-testid="coverage-percent">{coverage.percent}%</span>)
        {policyEnabled === false ? (
          <>
            {' '}
            <strong className="policy-off" data-testid="policy-off">
              but the 2FA policy is off: nobody is asked for a code.
            </strong>
          </>
        ) : null}
      </p>
      {coverage.unavailable > 0 ? (
        <p className="muted" data-testid="coverage-unavailable">
          Not counted: {countOf(coverage.unavailable, 'customer account')} on packages without the
          2FA feature (2FA not available on this package).{' '}
          <button type="button" className="link-button" onClick={onUnavailable}>
            Show {coverage.unavailable === 1 ? 'it' : 'them'}
          </button>
        </p>
      ) : null}
      {featureAware === false ? (
        <p className="muted" data-testid="coverage-not-feature-aware">
          Coverage is not feature-aware: WHM&apos;s packages and feature lists could not be read, so
          accounts whose package lacks the 2FA feature are counted as if they could turn it on.
        </p>
      ) : null}
      {coverage.rootTwoFactor === null ? null : (
        <p className="muted" data-testid="root-two-factor">
          Not counted: root, the server&apos;s administrator, has 2FA{' '}
          {coverage.rootTwoFactor ? 'on' : 'off'}.
        </p>
      )}
      <meter
        min={0}
        max={100}
        value={coverage.percent}
        aria-label="Customer accounts with 2FA set up, percent"
      />
      <details>
        <summary>By owner ({formatCount(coverage.byOwner.length)})</summary>
        <table className="simple-table">
          <caption className="visually-hidden">2FA coverage by owner</caption>
          <thead>
            <tr>
              {table.getFlatHeaders().map((header) => (
                <SortHeader key={header.id} header={header} />
              ))}
            </tr>
          </thead>
          <tbody>
            {table.getRowModel().rows.map(({ original: entry }) => (
              <tr key={entry.owner}>
                <th scope="row">
                  {entry.owner === '(none)' ? (
                    entry.owner
                  ) : (
                    <button
                      type="button"
                      className="link-button"
                      title={`Show only the accounts of ${entry.owner}`}
                      onClick={() => onOwner(entry.owner)}
                    >
                      {entry.owner}
                    </button>
                  )}
                </th>
                <td>{formatCount(entry.total)}</td>
                <td>{formatCount(entry.enabled)}</td>
                <td>{percentOf(entry.enabled, entry.total)}%</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </section>
  );
});
