/*
 * WHM's generic output options (`api.columns|filter|sort|chunk`), as `Whostmgr/API/1/Data/*.pm`
 * run them on whatever a function returns, quirks included; one long file because the four stages
 * share one Perl-value model and belong together.
 */
import { PerlDie, perlFalse, perlInt, perlNumber, perlString, refKind } from './perl.js';

type Args = Record<string, unknown>;
/** `api.STAGE.KEY=V` and `api.STAGE.ID.KEY=V`, nested as `Whostmgr/API/1/Data/Args.pm` does. */
export type ApiArgs = Partial<Record<'columns' | 'filter' | 'sort' | 'chunk', Args>>;

const STAGES = new Set(['columns', 'filter', 'sort', 'chunk']);
const RESERVED_IDS = new Set(['enable', 'verbose', 'filter', 'filtered']);
const FIELDSPEC = /^[a-z0-9_]+(\.([a-z0-9_]+|\[\d+\]))*$/i;

/** Splits the request into `api.*` options and the function's own params (first value wins). */
export function extractApiArgs(entries: readonly [string, string][]): {
  api: ApiArgs;
  params: [string, string][];
} {
  const api: Record<string, Args> = {};
  const params: [string, string][] = [];
  for (const [key, value] of entries) {
    if (!key.startsWith('api.')) {
      params.push([key, value]);
      continue;
    }
    const [, stage, id, prop] = key.split('.', 4);
    if (stage === undefined || !STAGES.has(stage) || id === undefined) continue;
    const args = (api[stage] ??= {});
    if (prop === undefined) {
      if (!(id in args)) args[id] = value;
      continue;
    }
    const group = args[id];
    if (group === undefined) args[id] = { [prop]: value };
    else if (typeof group === 'object' && group !== null && !(prop in group)) {
      (group as Args)[prop] = value;
    }
  }
  return { api, params };
}

function isHash(value: unknown): value is Args {
  return refKind(value) === 'HASH';
}

function idIsValid(id: string): boolean {
  return id !== '' && !RESERVED_IDS.has(id) && /^[a-z][a-z0-9_]*$/i.test(id);
}

/** `Whostmgr/API/1/Data/Utils.pm` evaluate_fieldspec: `a.b`, `[n]` for array items. */
function drill(fieldspec: string, record: unknown): unknown {
  let current = record;
  for (const step of fieldspec.split('.')) {
    const index = /^\[(\d+)\]$/.exec(step);
    if (index) {
      if (!Array.isArray(current)) return undefined;
      current = current[Number(index[1])];
    } else {
      if (!isHash(current)) return undefined;
      current = current[step];
    }
  }
  return current;
}

/** Under `use strict`, using a non-array as an array dies with Perl's own words. */
function strictArray(records: unknown, file: string, line: number): unknown[] {
  if (Array.isArray(records)) return records;
  throw PerlDie.notA('ARRAY', records, file, line);
}

const COLUMNS_FILE = '/usr/local/cpanel/Cpanel/Args/Columns/Util.pm';
const FILTER_FILE = '/usr/local/cpanel/Whostmgr/API/1/Data/Filter.pm';
const SORT_FILE = '/usr/local/cpanel/Whostmgr/API/1/Data/Sort.pm';
const CHUNK_FILE = '/usr/local/cpanel/Whostmgr/API/1/Data/Chunk.pm';

function quotedList(items: readonly string[]): string {
  const quoted = items.map((item) => `“${item}”`);
  if (quoted.length <= 2) return quoted.join(' and ');
  return `${quoted.slice(0, -1).join(', ')}, and ${quoted.at(-1) ?? ''}`;
}

function applyColumns(args: Args, records: unknown, metadata: Args): unknown {
  const keep = Object.entries(args)
    .filter(([key]) => key !== 'enable')
    .map(([, value]) => perlString(value));
  const list = strictArray(records, COLUMNS_FILE, 37);
  const first = list[0];
  if (first !== undefined && !isHash(first)) throw PerlDie.notA('HASH', first, COLUMNS_FILE, 38);
  const invalid = keep.filter((key) => first === undefined || !Object.hasOwn(first, key));
  const drop = first === undefined ? [] : Object.keys(first).filter((key) => !keep.includes(key));
  const message =
    invalid.length === 0
      ? 'None'
      : `${quotedList(invalid)} ${invalid.length === 1 ? 'is not a valid column' : 'are not valid columns'}.`;
  metadata.columns = { invalid_msg: message, ...(invalid.length > 0 ? { invalid } : {}) };
  return list.map((record) => {
    if (!isHash(record)) throw PerlDie.notA('HASH', record, COLUMNS_FILE, 52);
    const copy = { ...record };
    for (const key of drop) delete copy[key];
    return copy;
  });
}

type Test = (value: unknown) => boolean;

function allDigits(value: unknown): boolean {
  return /^[0-9]+$/.test(perlString(value));
}

/** One filter type on one (non-array) value; `undefined` when Filter.pm has no such type. */
function scalarTest(type: string, term: string): Test | undefined {
  const lower = term.toLowerCase();
  const n = perlNumber(term);
  const unlimited = (v: unknown) => /^unlimited$/i.test(perlString(v));
  const tests: Record<string, Test> = {
    contains: (v) => perlString(v).toLowerCase().includes(lower),
    begins: (v) => perlString(v).toLowerCase().startsWith(lower),
    eq: (v) => perlString(v) === term,
    '==': (v) => perlNumber(v) === n,
    lt: (v) => v === undefined || v === null || !allDigits(v) || perlNumber(v) < n,
    lt_equal: (v) => v === undefined || v === null || !allDigits(v) || perlNumber(v) <= n,
    lt_handle_unlimited: (v) =>
      v !== undefined && v !== null && !unlimited(v) && perlNumber(v) !== 0 && perlNumber(v) < n,
    gt: (v) => v !== undefined && v !== null && allDigits(v) && perlNumber(v) > n,
    gt_equal: (v) => v !== undefined && v !== null && allDigits(v) && perlNumber(v) >= n,
    gt_handle_unlimited: (v) =>
      v === undefined || v === null || unlimited(v) || perlNumber(v) === 0 || perlNumber(v) > n,
  };
  return Object.hasOwn(tests, type) ? tests[type] : undefined;
}

/** Array items are compared bare (no digit or `unlimited` checks), as Filter.pm's loops do. */
function arrayTest(type: string, term: string): Test | undefined {
  const n = perlNumber(term);
  const bare: Record<string, Test> = {
    lt: (v) => perlNumber(v) < n,
    lt_equal: (v) => perlNumber(v) <= n,
    gt: (v) => perlNumber(v) > n,
    gt_equal: (v) => perlNumber(v) >= n,
  };
  return Object.hasOwn(bare, type) ? bare[type] : scalarTest(type, term);
}

function buildFilter(field: string, type: string, term: string): Test | undefined {
  if (field === '*') {
    if (type !== 'contains' && type !== 'begins' && type !== 'eq') return undefined;
    const test = scalarTest(type, term);
    if (!test) return undefined;
    return (record) => {
      if (!isHash(record)) return false;
      return Object.values(record).some((value) =>
        Array.isArray(value) ? value.some(test) : refKind(value) === '' && test(value),
      );
    };
  }
  const test = scalarTest(type, term);
  const itemTest = arrayTest(type, term);
  if (!test || !itemTest) return undefined;
  return (record) => {
    const value = drill(field, record);
    if (Array.isArray(value)) return value.some(itemTest);
    if (refKind(value) !== '') return false;
    return test(value);
  };
}

function applyFilter(args: Args, records: unknown, metadata: Args): unknown {
  const verbose = !perlFalse(args.verbose);
  const state: Args = {};
  if (verbose) metadata.filter = state;
  const tests: Test[] = [];
  for (const id of Object.keys(args).sort()) {
    const group = args[id];
    if (!idIsValid(id) || !isHash(group)) continue;
    const field = perlString(group.field);
    if (field !== '*' && !FIELDSPEC.test(field)) continue;
    const type = perlFalse(group.type) ? 'contains' : perlString(group.type);
    const terms = Object.keys(group)
      .map((key) => /^arg0*(\d+)$/.exec(key))
      .filter((match) => match !== null)
      .sort((a, b) => Number(a[1]) - Number(b[1]))
      .map((match) => perlString(group[match[0]]));
    const term = terms[0] ?? '';
    if (type !== 'eq' && term === '') continue;
    const test = buildFilter(field, type, term);
    if (!test) continue;
    tests.push(test);
    if (verbose) {
      state[id] = {
        valid: 1,
        field,
        type,
        ...Object.fromEntries(terms.map((t, i) => [`arg${i}`, t])),
      };
    }
  }
  if (verbose) {
    state.filtered = args.filtered ?? strictArray(records, FILTER_FILE, 393).length;
  }
  if (tests.length === 0) return records;
  const list = strictArray(records, FILTER_FILE, 399);
  return list.filter((record) => tests.every((test) => test(record)));
}

type Sorter = (a: unknown, b: unknown) => number;

function cmp(a: string, b: string): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function spaceship(a: number, b: number): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

function ipv4Key(value: unknown): string {
  const parts = perlString(value).split('.');
  return [0, 1, 2, 3]
    .map((i) => String.fromCharCode(((perlInt(parts[i] ?? '0') % 256) + 256) % 256))
    .join('');
}

const SORT_METHODS = new Set([
  'ipv4',
  'lexicographic',
  'lexicographic_caseless',
  'numeric',
  'numeric_zero_as_max',
]);

/**
 * Sort.pm's comparators, with its per-record key cache: a key is kept once it is true in Perl's
 * sense, so a later pass compares the first pass's keys.
 */
function sorter(field: string, method: string, reverse: boolean, cache: Map<unknown, unknown>) {
  const key = (record: unknown) => {
    const cached = cache.get(record);
    if (!perlFalse(cached)) return cached;
    const value = drill(field, record);
    cache.set(record, value);
    return value;
  };
  const base: Record<string, Sorter> = {
    ipv4: (a, b) => cmp(ipv4Key(key(a)), ipv4Key(key(b))),
    lexicographic: (a, b) => cmp(perlString(key(a)), perlString(key(b))),
    lexicographic_caseless: (a, b) =>
      cmp(perlString(key(a)).toLowerCase(), perlString(key(b)).toLowerCase()),
    numeric: (a, b) => spaceship(perlNumber(key(a)), perlNumber(key(b))),
    numeric_zero_as_max: (a, b) => {
      const x = perlNumber(key(a));
      const y = perlNumber(key(b));
      if (x === y) return 0;
      if (x === 0) return 1;
      if (y === 0) return -1;
      return spaceship(x, y);
    },
  };
  const chosen = SORT_METHODS.has(method) ? method : 'lexicographic';
  const compare = base[chosen] ?? base.lexicographic!;
  return {
    method: chosen,
    compare: reverse ? (a: unknown, b: unknown) => compare(b, a) : compare,
  };
}

function applySort(args: Args, records: unknown, metadata: Args): unknown {
  const cache = new Map<unknown, unknown>();
  const passes: Sorter[] = [];
  const state: Args = {};
  for (const id of Object.keys(args).sort().reverse()) {
    const group = args[id];
    if (!isHash(group)) continue;
    const field = perlString(group.field);
    const reverse = !perlFalse(group.reverse);
    const { method, compare } = sorter(field, perlString(group.method), reverse, cache);
    if (!perlFalse(args.verbose)) {
      state[id] = { field: FIELDSPEC.test(field) ? 1 : 0, method, reverse: reverse ? 1 : 0 };
      metadata.sort = state;
    }
    passes.push(compare);
  }
  if (passes.length === 0) return records;
  // Sort.pm has no `use strict`: a plain value is a (symbolic, empty) array and nothing happens.
  if (refKind(records) === '') return records;
  let sorted = [...strictArray(records, SORT_FILE, 143)];
  // Sort.pm's loop shifts its own list while counting up, so only the first half (rounded up) runs.
  const runs = Math.ceil(passes.length / 2);
  for (let i = 0; i < runs; i += 1) sorted = sorted.sort(passes[i]);
  return sorted;
}

function applyChunk(args: Args, records: unknown, metadata: Args): unknown {
  // Chunk.pm has no `use strict` either: a plain value counts as an empty array.
  const plain = refKind(records) === '';
  const list = plain ? [] : strictArray(records, CHUNK_FILE, 19);
  const total = list.length;
  const hasStart = args.start !== undefined;
  let start = perlFalse(args.start) ? 0 : perlInt(args.start);
  let size = perlInt(args.size);
  if (args.size === undefined || size < 1) size = 100;
  const select = hasStart ? undefined : args.select;
  if (select !== undefined && perlInt(select) > 0) start = size * (perlInt(select) - 1) + 1;
  else if (!(hasStart && start > 0)) start = 1;
  if (start > total) start = 1;
  if (!perlFalse(args.verbose)) {
    metadata.chunk = {
      start,
      size,
      records: total,
      current: Math.ceil(start / size),
      chunks: Math.ceil(total / size),
    };
  }
  if (plain) return records;
  return list.slice(start - 1, start - 1 + size);
}

/**
 * Runs the stages on the value WHM picks inside `data`: the first one (the simulator's objects
 * keep their keys in the order the handlers wrote them). Returns the new data; metadata gains
 * the stages' verbose parts. A Perl error in a stage throws `PerlDie`.
 */
export function applyOutputOptions(api: ApiArgs, data: Args, metadata: Args): Args {
  const name = Object.keys(data)[0];
  if (name === undefined) return data;
  let records = data[name];
  const stages = [
    ['columns', applyColumns],
    ['filter', applyFilter],
    ['sort', applySort],
    ['chunk', applyChunk],
  ] as const;
  for (const [stage, apply] of stages) {
    const args = api[stage];
    if (args === undefined || perlFalse(args.enable)) continue;
    records = apply(args, records, metadata);
  }
  return { ...data, [name]: records };
}
