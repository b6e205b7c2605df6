import { createContext, runInContext } from 'node:vm';
import { whmReasons, type Account } from '@console/whm-api';
import { visibleAccounts } from '../access.js';
import { ROOT } from '../state.js';
import { WhmFailure, type Handler } from './handler.js';

/** Perl's `$` lets one final newline through, so `user%0A` passes the check (and then matches no type). */
const SEARCH_TYPE = /^(domain|ip|user|package|owner|domain_and_user)\n?$/;
const REGEX_BUDGET_MS = 500;
/** System users that are not cPanel accounts: found by an exact user search, listed by none. */
const SYSTEM_USERS = new Set([ROOT, 'nobody']);

/**
 * `Whostmgr/Accounts/List.pm` compiles the search case-insensitively and, when that fails, matches
 * everything non-empty (`qr/./`). A pattern from the caller may backtrack catastrophically, so it
 * runs in a VM context with a time budget; past it the call fails (real WHM would just be slow).
 */
function regexTest(search: string, values: readonly string[]): boolean[] {
  let pattern: RegExp;
  try {
    pattern = new RegExp(search === '' ? '.' : search, 'i');
  } catch {
    pattern = /./;
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

type SearchType = 'domain' | 'ip' | 'user' | 'package' | 'owner' | 'domain_and_user';

function searchValues(acct: Account, type: SearchType): string[] {
  switch (type) {
    case 'domain':
      return [acct.domain];
    case 'ip':
      return [acct.ip];
    case 'user':
      return [acct.user];
    case 'package':
      return [acct.plan];
    case 'owner':
      return [acct.owner];
    case 'domain_and_user':
      return [acct.user, acct.domain];
  }
}

function exactMatch(acct: Account, type: SearchType, search: string): boolean {
  const lower = search.toLowerCase();
  switch (type) {
    case 'domain':
      return acct.domain.toLowerCase() === lower;
    case 'ip':
      return acct.ip === search;
    case 'user':
      return acct.user === lower;
    case 'package':
      return acct.plan === search;
    case 'owner':
      return acct.owner === lower;
    case 'domain_and_user':
      // WHM compares with the compiled regex's text (`(?^i:...)`), which no name equals.
      return false;
  }
}

function filterBySearch(
  accounts: readonly Account[],
  type: SearchType,
  search: string,
  exact: boolean,
): readonly Account[] {
  if (exact) return accounts.filter((acct) => exactMatch(acct, type, search));
  const values = accounts.map((acct) => searchValues(acct, type));
  const flat = regexTest(search, values.flat());
  let at = 0;
  return accounts.filter((_, index) => {
    const hits = (values[index] ?? []).map(() => flat[at++] === true);
    return hits.some(Boolean);
  });
}

/** The record WHM builds: its defaults for empty fields, `child_nodes` always there. */
function record(acct: Account): Record<string, unknown> {
  return {
    ...acct,
    email: acct.email === '' ? '*unknown*' : acct.email,
    plan: acct.plan === '' ? 'undefined' : acct.plan,
    owner: acct.owner === '' ? ROOT : acct.owner,
    child_nodes: acct.child_nodes ?? [],
  };
}

/** Perl's `split /,/`: trailing empty fields go, `want=` keeps nothing. */
function wantedFields(want: string): string[] {
  const fields = want.split(',');
  while (fields.length > 0 && fields.at(-1) === '') fields.pop();
  return fields;
}

/**
 * `undefined` is WHM's "no list at all" (`result: 0`, `No accounts found.`); an empty array is a
 * search that matched nobody (`result: 1`, no `data`).
 */
function findAccounts(
  raw: Record<string, unknown>,
  visible: readonly Account[],
  canSeeAll: boolean,
  caller: string,
  lookup: (user: string) => Account | undefined,
): readonly Account[] | undefined {
  const searchtype = typeof raw.searchtype === 'string' ? raw.searchtype : undefined;
  const search = typeof raw.search === 'string' ? raw.search.replace(/\n/g, '') : undefined;
  const exact = raw.searchmethod === 'exact';
  if (exact && searchtype === 'user') {
    const name = search ?? '';
    const acct = lookup(name);
    if (!acct && !SYSTEM_USERS.has(name)) return undefined;
    if (!canSeeAll && acct?.owner !== caller) return undefined;
    return acct ? [acct] : [];
  }
  if (search === undefined || search === '') return visible;
  if (searchtype === undefined || !SEARCH_TYPE.test(searchtype) || searchtype.endsWith('\n')) {
    return visible;
  }
  return filterBySearch(visible, searchtype as SearchType, search, exact);
}

/**
 * `Whostmgr/API/1/Accounts.pm` listaccts over `Whostmgr/Accounts/List.pm`: root sees every
 * account, a reseller the accounts it owns (itself only if it owns itself).
 */
export const listaccts: Handler = ({ raw, caller, store }) => {
  if (typeof raw.searchtype === 'string' && !SEARCH_TYPE.test(raw.searchtype)) {
    throw new WhmFailure(whmReasons.unknownSearchType);
  }
  const found = findAccounts(raw, visibleAccounts(store, caller), caller.isRoot, caller.user, (u) =>
    store.account(u),
  );
  if (found === undefined) throw new WhmFailure(whmReasons.noAccountsFound);
  if (found.length === 0) return {};
  const want = typeof raw.want === 'string' ? wantedFields(raw.want) : undefined;
  const rows = found.map((acct) => {
    const full = record(acct);
    if (!want) return full;
    return Object.fromEntries(want.map((field) => [field, full[field] ?? null]));
  });
  return { data: { acct: rows } };
};
