import { createColumnHelper, flexRender } from '@tanstack/react-table';
import { useMemo } from 'react';
import { SortHeader } from '../../../components/table/sort-header';
import { useSortedTable } from '../../../components/table/sorting';
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
  const tableColumns = useMemo(() => columns(onEdit), [onEdit]);
  // The BFF's order (the file's and the demo's first) until a header is clicked.
  const table = useSortedTable({
    data: servers,
    columns: tableColumns,
    initialSort: null,
    getRowId: (server) => server.id,
  });
  return (
    <table className="servers-table" role="table">
      <caption className="visually-hidden">WHM servers</caption>
      <thead role="rowgroup">
        {table.getHeaderGroups().map((group) => (
          <tr key={group.id} role="row">
            {group.headers.map((header) => (
              <SortHeader key={header.id} header={header} />
            ))}
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
