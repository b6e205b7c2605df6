import { createColumnHelper, flexRender } from '@tanstack/react-table';
import { Link } from 'react-router';
import { SortHeader } from '../../../components/table/sort-header';
import { useSortedTable } from '../../../components/table/sorting';
import { paths } from '../../../config/paths';
import { formatClock, formatCount } from '../../../lib/format';
import type { FleetServer } from '../api/fleet';
import { formatPercent } from './percent';

const column = createColumnHelper<FleetServer>();

function onOff(value: boolean | null | undefined): string {
  return value === true ? 'on' : value === false ? 'off' : '—';
}

const columns = [
  column.accessor('label', {
    header: 'Server',
    cell: ({ row }) => (
      <>
        <Link to={`${paths.accounts}?server=${encodeURIComponent(row.original.id)}`}>
          {row.original.label}
        </Link>{' '}
        {row.original.tags.map((tag) => (
          <span key={tag} className="badge">
            {tag}
          </span>
        ))}
      </>
    ),
  }),
  column.accessor((s) => (s.snapshot ? (s.snapshot.reachable ? 1 : 0) : -1), {
    id: 'reachable',
    header: 'Reachable',
    cell: ({ row }) => {
      const snapshot = row.original.snapshot;
      if (!snapshot) return <span className="muted">not read yet</span>;
      if (snapshot.reachable) return 'yes';
      return <span className="badge warn">{snapshot.fault ?? 'unreachable'}</span>;
    },
  }),
  column.accessor((s) => onOff(s.snapshot?.policyEnabled), { id: 'policy', header: 'Policy' }),
  column.accessor((s) => s.snapshot?.issuer ?? '', { id: 'issuer', header: 'Issuer' }),
  column.accessor((s) => s.snapshot?.accounts ?? -1, {
    id: 'accounts',
    header: 'Accounts',
    cell: ({ row }) => (row.original.snapshot ? formatCount(row.original.snapshot.accounts) : '—'),
  }),
  column.accessor((s) => s.snapshot?.coverage ?? -1, {
    id: 'coverage',
    header: 'Coverage',
    cell: ({ row }) => <CoverageBar coverage={row.original.snapshot?.coverage ?? null} />,
  }),
  column.accessor((s) => s.snapshot?.at ?? '', {
    id: 'at',
    header: 'Last read',
    cell: ({ row }) =>
      row.original.snapshot ? formatClock(new Date(row.original.snapshot.at)) : '—',
  }),
];

function CoverageBar({ coverage }: { coverage: number | null }) {
  if (coverage === null) return <span className="muted">—</span>;
  const text = formatPercent(coverage);
  return (
    <span className="coverage-cell">
      <meter min={0} max={1} value={coverage} aria-label={`coverage ${text}`} /> <span>{text}</span>
    </span>
  );
}

export function FleetTable({ servers }: { servers: FleetServer[] }) {
  const table = useSortedTable({
    data: servers,
    columns,
    initialSort: { key: 'label', dir: 'asc' },
  });
  // On a phone the columns scroll inside this box, not the page.
  return (
    <div className="table-wrap">
      <table className="simple-table fleet-table">
        <caption className="visually-hidden">Servers of the fleet</caption>
        <thead>
          <tr>
            {table.getFlatHeaders().map((header) => (
              <SortHeader key={header.id} header={header} />
            ))}
          </tr>
        </thead>
        <tbody>
          {table.getRowModel().rows.map((row) => (
            <tr key={row.id}>
              {row.getVisibleCells().map((cell) => (
                <td key={cell.id}>{flexRender(cell.column.columnDef.cell, cell.getContext())}</td>
              ))}
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
