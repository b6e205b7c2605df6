import {
  createColumnHelper,
  flexRender,
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type SortingState,
} from '@tanstack/react-table';
import { useMemo, useState } from 'react';
import type { ManagedServer } from '../api/managed-servers';
import { readOnlyReason } from '../hooks/read-only';
import { ServerActions } from './server-actions';

const column = createColumnHelper<ManagedServer>();

function columns(onEdit: (server: ManagedServer) => void) {
  return [
    column.accessor('label', {
      header: 'Server',
      cell: ({ row }) => (
        <>
          <strong>{row.original.label}</strong>{' '}
          <span className="muted small">{row.original.id}</span>
        </>
      ),
    }),
    column.accessor('url', { header: 'URL', cell: ({ getValue }) => <code>{getValue()}</code> }),
    column.accessor('user', { header: 'User' }),
    column.accessor((s) => s.tags.join(' '), {
      id: 'tags',
      header: 'Tags',
      enableSorting: false,
      cell: ({ row }) =>
        row.original.tags.length === 0 ? (
          <span className="muted">none</span>
        ) : (
          row.original.tags.map((tag) => (
            <span key={tag} className="badge">
              {tag}
            </span>
          ))
        ),
    }),
    column.accessor((s) => (s.disabled ? 'disabled' : 'enabled'), {
      id: 'status',
      header: 'Status',
      cell: ({ getValue }) =>
        getValue() === 'disabled' ? <span className="badge warn">disabled</span> : 'enabled',
    }),
    column.accessor('managedBy', {
      header: 'Managed by',
      cell: ({ row }) => {
        const reason = readOnlyReason(row.original);
        return (
          <>
            {row.original.managedBy}
            {reason ? <span className="muted small read-only-reason">{reason}</span> : null}
          </>
        );
      },
    }),
    column.display({
      id: 'actions',
      header: 'Actions',
      cell: ({ row }) => <ServerActions server={row.original} onEdit={onEdit} />,
    }),
  ];
}

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;

/**
 * One row per server. Narrower than a tablet, each row stacks into a card (CSS, `servers-table`),
 * with the column's name before each value: seven columns do not fit a phone side by side. The
 * explicit roles keep it a table for screen readers once CSS has changed how it is laid out.
 */
export function ServersTable({
  servers,
  onEdit,
}: {
  servers: ManagedServer[];
  onEdit: (server: ManagedServer) => void;
}) {
  // The BFF's order (the file's and the demo's first) until a header is clicked.
  const [sorting, setSorting] = useState<SortingState>([]);
  const tableColumns = useMemo(() => columns(onEdit), [onEdit]);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the table re-renders on its own state
  const table = useReactTable({
    data: servers,
    columns: tableColumns,
    state: { sorting },
    onSortingChange: setSorting,
    getRowId: (server) => server.id,
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
  return (
    <table className="servers-table" role="table">
      <caption className="visually-hidden">WHM servers</caption>
      <thead role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id} role="row">
            {group.headers.map((header) => {
              const sorted = header.column.getIsSorted();
              const title = flexRender(header.column.columnDef.header, header.getContext());
              return (
                <th
                  key={header.id}
                  scope="col"
                  role="columnheader"
                  aria-sort={
                    header.column.getCanSort() ? (sorted ? ARIA_SORT[sorted] : 'none') : undefined
                  }
                >
                  {header.column.getCanSort() ? (
                    <button
                      type="button"
                      className="sort-button"
                      onClick={header.column.getToggleSortingHandler()}
                    >
                      {title}
                    </button>
                  ) : (
                    title
                  )}
                </th>
              );
            })}
          </tr>
        ))}
      </thead>
      <tbody role="rowgroup">
        {table.getRowModel().rows.map((row) => (
          <tr key={row.id} role="row" aria-label={row.original.label}>
            {row.getVisibleCells().map((cell) => (
              <td
                key={cell.id}
                role="cell"
                data-label={String(cell.column.columnDef.header)}
                className={`cell-${cell.column.id}`}
              >
                {/* One box beside the column's name when a row stacks into a card. */}
                <div className="cell-value">
                  {flexRender(cell.column.columnDef.cell, cell.getContext())}
                </div>
              </td>
            ))}
          </tr>
        ))}
      </tbody>
    </table>
  );
}
