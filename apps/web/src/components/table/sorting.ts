import {
  getCoreRowModel,
  getSortedRowModel,
  useReactTable,
  type ColumnDef,
  type RowData,
  type SortingOptions,
  type SortingState,
} from '@tanstack/react-table';
import { useState } from 'react';

declare module '@tanstack/react-table' {
  // eslint-disable-next-line @typescript-eslint/no-unused-vars -- the type parameters must match TanStack's declaration to merge
  interface ColumnMeta<TData extends RowData, TValue> {
    /** Class of the column's header cell (the accounts' sticky columns). */
    className?: string;
  }
}

/**
 * Every table sorts by one column at a time, the way the accounts list always has: a click sorts
 * ascending, a second click descending, a third ascending again.
 */
export const ONE_COLUMN_SORTING = {
  // Shift+click would add a second key that no header shows.
  enableMultiSort: false,
  // A third click would otherwise leave the rows in no visible order.
  enableSortingRemoval: false,
  // TanStack starts numbers descending and text ascending: here every column starts ascending.
  sortDescFirst: false,
} as const satisfies Partial<SortingOptions<unknown>>;

/** Sorting as an order people can read and bookmark: one column, one direction. */
export interface ColumnSort<Key extends string = string> {
  key: Key;
  dir: 'asc' | 'desc';
}

export function toSortingState<Key extends string>(sort: ColumnSort<Key>): SortingState {
  return [{ id: sort.key, desc: sort.dir === 'desc' }];
}

/** The first sort of a TanStack state, or null when it has none (never, with removal off). */
export function fromSortingState<Key extends string>(
  sorting: SortingState,
): ColumnSort<Key> | null {
  const first = sorting[0];
  return first ? { key: first.id as Key, dir: first.desc ? 'desc' : 'asc' } : null;
}

/** A table's columns: TanStack's own type for a list of columns of mixed value types. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any -- as TanStack's useReactTable takes them
type Columns<TData> = ColumnDef<TData, any>[];

interface SortedTableOptions<TData> {
  data: TData[];
  columns: Columns<TData>;
  /** null: the data's own order until a header is clicked (the servers: the file's first). */
  initialSort: ColumnSort | null;
  getRowId?: (row: TData) => string;
}

/**
 * A table whose rows TanStack sorts itself, by one column kept in the component's state. For the
 * tables small enough to build every row (servers, owners); the accounts list is not (ADR 019).
 */
export function useSortedTable<TData>({
  data,
  columns,
  initialSort,
  getRowId,
}: SortedTableOptions<TData>) {
  const [sorting, setSorting] = useState<SortingState>(() =>
    initialSort ? toSortingState(initialSort) : [],
  );
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the table re-renders on its own state
  return useReactTable({
    ...ONE_COLUMN_SORTING,
    data,
    columns,
    state: { sorting },
    onSortingChange: setSorting,
    ...(getRowId ? { getRowId } : {}),
    getCoreRowModel: getCoreRowModel(),
    getSortedRowModel: getSortedRowModel(),
  });
}

/** TanStack builds no row for these tables: the caller has its rows in order already. */
const NO_ROWS: never[] = [];

interface SortHeadersOptions<TData, Key extends string> {
  columns: Columns<TData>;
  /** The order the caller keeps (in the URL, say) and sorts its rows by. */
  sort: ColumnSort<Key>;
  onSort: (sort: ColumnSort<Key>) => void;
}

/**
 * A table TanStack gives only its headers and sorting rules: the caller sorts and filters its own
 * rows. For lists too long for TanStack's row model, which builds an object with 32 methods
 * per row and copies every row on each sort (ADR 019).
 */
export function useSortHeaders<TData, Key extends string>({
  columns,
  sort,
  onSort,
}: SortHeadersOptions<TData, Key>) {
  const sorting = toSortingState(sort);
  // eslint-disable-next-line react-hooks/incompatible-library -- no React Compiler here; the state is the caller's
  return useReactTable<TData>({
    ...ONE_COLUMN_SORTING,
    data: NO_ROWS,
    columns,
    manualSorting: true,
    state: { sorting },
    onSortingChange: (updater) => {
      const next = fromSortingState<Key>(
        typeof updater === 'function' ? updater(sorting) : updater,
      );
      if (next) onSort(next);
    },
    getCoreRowModel: getCoreRowModel(),
  });
}
