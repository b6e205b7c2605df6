import { createColumnHelper } from '@tanstack/react-table';
import { render, screen, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { describe, expect, it, vi } from 'vitest';
import { SortHeader } from './sort-header';
import { useSortedTable, useSortHeaders, type ColumnSort } from './sorting';

interface Fruit {
  name: string;
  count: number;
  note: string;
}

const FRUITS: Fruit[] = [
  { name: 'pear', count: 2, note: 'green' },
  { name: 'apple', count: 10, note: 'red' },
  { name: 'fig', count: 1, note: 'purple' },
];

const column = createColumnHelper<Fruit>();
const columns = [
  column.accessor('name', { header: 'Name' }),
  column.accessor('count', { header: 'Count', meta: { className: 'count-cell' } }),
  column.accessor('note', { header: 'Note', enableSorting: false }),
];

function Fruits() {
  const table = useSortedTable({ data: FRUITS, columns, initialSort: { key: 'name', dir: 'asc' } });
  return (
    <table aria-label="Fruits">
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
            <th scope="row">{row.original.name}</th>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const names = () => screen.getAllByRole('rowheader').map((cell) => cell.textContent);
const header = (name: string) => screen.getByRole('columnheader', { name });
const sortsOf = () =>
  ['Name', 'Count'].map((name) => [name, header(name).getAttribute('aria-sort')]);

describe('sortable headers', () => {
  it('when a table opens, then its sort column says ascending, the other sortable ones none, and an unsortable one nothing', () => {
    render(<Fruits />);
    expect(sortsOf()).toEqual([
      ['Name', 'ascending'],
      ['Count', 'none'],
    ]);
    expect(names()).toEqual(['apple', 'fig', 'pear']);
    expect(header('Note')).not.toHaveAttribute('aria-sort');
    expect(within(header('Note')).queryByRole('button')).not.toBeInTheDocument();
    expect(header('Count')).toHaveClass('count-cell');
    // The arrow is not part of the name a screen reader reads.
    expect(within(header('Name')).getByRole('button', { name: 'Name' })).toHaveTextContent(
      'Name ▲',
    );
  });

  it('when a number column is clicked three times, then it goes ascending, descending, ascending: never unsorted, never descending first', async () => {
    const user = userEvent.setup();
    render(<Fruits />);
    const count = within(header('Count')).getByRole('button');

    await user.click(count);
    expect(sortsOf()).toEqual([
      ['Name', 'none'],
      ['Count', 'ascending'],
    ]);
    expect(names()).toEqual(['fig', 'pear', 'apple']);
    expect(count).toHaveTextContent('Count ▲');

    await user.click(count);
    expect(header('Count')).toHaveAttribute('aria-sort', 'descending');
    expect(names()).toEqual(['apple', 'pear', 'fig']);
    expect(count).toHaveTextContent('Count ▼');

    await user.click(count);
    expect(header('Count')).toHaveAttribute('aria-sort', 'ascending');
    expect(names()).toEqual(['fig', 'pear', 'apple']);
  });

  it('when another column is Shift+clicked, then it replaces the sort instead of adding a second one', async () => {
    const user = userEvent.setup();
    render(<Fruits />);
    await user.keyboard('{Shift>}');
    await user.click(within(header('Count')).getByRole('button'));
    await user.keyboard('{/Shift}');
    expect(sortsOf()).toEqual([
      ['Name', 'none'],
      ['Count', 'ascending'],
    ]);
    expect(names()).toEqual(['fig', 'pear', 'apple']);
  });

  it('when only the keyboard is used, then Tab reaches each sortable header, Enter and Space sort, and focus stays on the header as the rows move', async () => {
    const user = userEvent.setup();
    render(<Fruits />);

    await user.tab();
    expect(within(header('Name')).getByRole('button')).toHaveFocus();
    await user.tab();
    const count = within(header('Count')).getByRole('button');
    expect(count).toHaveFocus();

    await user.keyboard('{Enter}');
    expect(header('Count')).toHaveAttribute('aria-sort', 'ascending');
    expect(names()).toEqual(['fig', 'pear', 'apple']);
    expect(count).toHaveFocus();

    await user.keyboard(' ');
    expect(header('Count')).toHaveAttribute('aria-sort', 'descending');
    expect(names()).toEqual(['apple', 'pear', 'fig']);
    expect(count).toHaveFocus();

    // The unsortable column is not a stop on the way.
    await user.tab();
    expect(document.body).toHaveFocus();
  });
});

/** The caller keeps the order (as the accounts list does in the URL) and sorts its own rows. */
function FruitHeaders({ onSort }: { onSort: (sort: ColumnSort<'name' | 'count'>) => void }) {
  const [sort, setSort] = useState<ColumnSort<'name' | 'count'>>({ key: 'count', dir: 'desc' });
  const table = useSortHeaders({
    columns,
    sort,
    onSort: (next) => {
      onSort(next);
      setSort(next);
    },
  });
  return (
    <table aria-label="Fruits">
      <thead>
        <tr>
          {table.getFlatHeaders().map((header) => (
            <SortHeader key={header.id} header={header} />
          ))}
        </tr>
      </thead>
    </table>
  );
}

describe('headers for rows sorted elsewhere', () => {
  it("when a header is clicked, then the caller is asked for the next order by the same rules, and aria-sort shows the caller's order", async () => {
    const user = userEvent.setup();
    const onSort = vi.fn();
    render(<FruitHeaders onSort={onSort} />);
    expect(sortsOf()).toEqual([
      ['Name', 'none'],
      ['Count', 'descending'],
    ]);

    await user.click(within(header('Count')).getByRole('button'));
    expect(onSort).toHaveBeenLastCalledWith({ key: 'count', dir: 'asc' });
    expect(header('Count')).toHaveAttribute('aria-sort', 'ascending');

    await user.click(within(header('Name')).getByRole('button'));
    expect(onSort).toHaveBeenLastCalledWith({ key: 'name', dir: 'asc' });
    await user.click(within(header('Name')).getByRole('button'));
    expect(onSort).toHaveBeenLastCalledWith({ key: 'name', dir: 'desc' });
    expect(sortsOf()).toEqual([
      ['Name', 'descending'],
      ['Count', 'none'],
    ]);
    expect(onSort).toHaveBeenCalledTimes(3);
  });
});
