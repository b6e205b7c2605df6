import { flexRender, type Header } from '@tanstack/react-table';

const ARIA_SORT = { asc: 'ascending', desc: 'descending' } as const;
const ARROW = { asc: ' ▲', desc: ' ▼' } as const;

/**
 * A column's header cell. When the column sorts, its name is a button (so Tab reaches it and
 * Enter or Space sorts) and aria-sort says the order: `none` on the sortable columns not in use,
 * so a screen reader can tell they sort. The arrow is for the eye; aria-sort says it in words.
 * The explicit role keeps it a header once CSS lays a table out as cards (the servers on a phone).
 */
export function SortHeader<TData>({ header }: { header: Header<TData, unknown> }) {
  const column = header.column;
  const className = column.columnDef.meta?.className;
  const label = header.isPlaceholder
    ? null
    : flexRender(column.columnDef.header, header.getContext());
  if (!column.getCanSort()) {
    return (
      <th scope="col" role="columnheader" className={className}>
        {label}
      </th>
    );
  }
  const sorted = column.getIsSorted();
  return (
    <th
      scope="col"
      role="columnheader"
      className={className}
      aria-sort={sorted ? ARIA_SORT[sorted] : 'none'}
    >
      <button type="button" className="sort-button" onClick={() => column.toggleSorting()}>
        {label}
        <span aria-hidden="true">{sorted ? ARROW[sorted] : ''}</span>
      </button>
    </th>
  );
}
