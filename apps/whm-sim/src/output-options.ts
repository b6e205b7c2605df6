import type { ParsedOutputOptions } from '@console/whm-api';

type Row = Record<string, unknown>;

function text(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return String(value);
  if (Array.isArray(value)) return value.map(text).join(',');
  return '';
}

/** WHM compares numerically on the leading number: `14M` sorts as 14. */
function numeric(value: unknown): number {
  const parsed = Number.parseFloat(text(value));
  return Number.isNaN(parsed) ? 0 : parsed;
}

type FilterType = NonNullable<ParsedOutputOptions['filter']>[number]['type'];

function matches(type: FilterType, value: unknown, arg: string): boolean {
  switch (type) {
    case 'contains':
      return text(value).toLowerCase().includes(arg.toLowerCase());
    case 'begins':
      return text(value).toLowerCase().startsWith(arg.toLowerCase());
    case 'eq':
      return text(value) === arg;
    case '==':
      return numeric(value) === Number(arg);
    case '!=':
      return numeric(value) !== Number(arg);
    case 'lt':
      return numeric(value) < Number(arg);
    case 'gt':
      return numeric(value) > Number(arg);
  }
}

/**
 * WHM's generic output options, in WHM's order: filter, sort, chunk (1-based start), columns.
 * They apply to the array under `data`; several filters all have to match.
 */
export function applyOutputOptions(rows: readonly Row[], output: ParsedOutputOptions): Row[] {
  let result = [...rows];
  for (const filter of output.filter ?? []) {
    result = result.filter((row) => matches(filter.type, row[filter.field], filter.arg0));
  }
  const sorts = output.sort ?? [];
  if (sorts.length > 0) {
    result.sort((a, b) => {
      for (const sort of sorts) {
        const order =
          sort.method === 'numeric'
            ? numeric(a[sort.field]) - numeric(b[sort.field])
            : compareText(text(a[sort.field]), text(b[sort.field]));
        if (order !== 0) return sort.reverse ? -order : order;
      }
      return 0;
    });
  }
  if (output.chunk) {
    const from = output.chunk.start - 1;
    result = result.slice(from, from + output.chunk.size);
  }
  const columns = output.columns;
  if (columns && columns.length > 0) result = result.map((row) => pick(row, columns));
  return result;
}

function compareText(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

export function pick(row: Row, fields: readonly string[]): Row {
  const picked: Row = {};
  for (const field of fields) if (Object.hasOwn(row, field)) picked[field] = row[field];
  return picked;
}
