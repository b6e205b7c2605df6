import { createContext, runInContext } from 'node:vm';
import type { Account } from '@console/whm-api';
import { visibleAccounts } from '../access.js';
import { applyOutputOptions, pick } from '../output-options.js';
import { parseParams, WhmFailure, type Handler } from './handler.js';

const SEARCH_FIELDS = {
  domain: 'domain',
  owner: 'owner',
  user: 'user',
  ip: 'ip',
  package: 'plan',
} as const satisfies Record<string, keyof Account>;

const REGEX_BUDGET_MS = 500;

/**
 * A search pattern comes from the caller and may backtrack catastrophically; it runs in a VM
 * context with a time budget so one bad pattern cannot freeze the server.
 */
function regexMatches(search: string, values: readonly string[]): boolean[] {
  let pattern: RegExp;
  try {
    pattern = new RegExp(search, 'i');
  } catch {
    throw new WhmFailure(`Invalid regular expression in “search”: ${search}`);
  }
  const context = createContext({ pattern, values, result: [] as boolean[] });
  try {
    runInContext('result = values.map((value) => pattern.test(value));', context, {
      timeout: REGEX_BUDGET_MS,
    });
  } catch {
    throw new WhmFailure(`The regular expression in “search” took too long to evaluate: ${search}`);
  }
  return context.result as boolean[];
}

/**
 * Root sees every account, a reseller the accounts it owns and its own. With no match WHM answers
 * `result: 1` and leaves `data` out. `searchtype` defaults to `user` when only `search` is given.
 */
export const listaccts: Handler = ({ raw, caller, store, output }) => {
  const params = parseParams('listaccts', raw, (field) => `Invalid value for “${field}”.`);
  let accounts: readonly Account[] = visibleAccounts(store, caller);
  if (params.search !== undefined && params.search !== '') {
    const field = SEARCH_FIELDS[params.searchtype ?? 'user'];
    const search = params.search;
    if (params.searchmethod === 'exact') {
      const wanted = search.toLowerCase();
      accounts = accounts.filter((acct) => acct[field].toLowerCase() === wanted);
    } else {
      const matches = regexMatches(
        search,
        accounts.map((acct) => acct[field]),
      );
      accounts = accounts.filter((_, index) => matches[index]);
    }
  }
  let rows: Record<string, unknown>[] = accounts as unknown as Record<string, unknown>[];
  if (params.want) {
    const fields = params.want.split(',');
    rows = rows.map((row) => pick(row, fields));
  }
  if (output) rows = applyOutputOptions(rows, output);
  if (rows.length === 0) return {};
  return { data: { acct: rows } };
};
