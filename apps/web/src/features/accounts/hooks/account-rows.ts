import { isOn, type WhmData } from '../../../lib/whm';

export interface AccountRow {
  user: string;
  domain: string;
  owner: string;
  plan: string;
  /** Contact address; empty when WHM has none (it says `*unknown*`). */
  email: string;
  suspended: boolean;
  twoFactor: boolean;
  /** false: its package lacks the `twofactorauth` feature, so it cannot turn 2FA on. null: not
   * known (WHM's packages unread), counted as available. */
  twoFactorAvailable: boolean | null;
  /** On WHM's reseller list (root counts as one): support may not change it. null while that
   * list is not read (loading, or WHM refused it): support's removals wait, as the BFF's do. */
  isReseller: boolean | null;
  /** user, domain, owner and plan in lower case, computed once so a keystroke only scans. */
  haystack: string;
}

function haystackOf(user: string, domain: string, owner: string, plan: string): string {
  return `${user}\n${domain}\n${owner}\n${plan}`.toLowerCase();
}

function contactEmail(email: string | undefined): string {
  return email && email !== '*unknown*' ? email : '';
}

/**
 * listaccts joined with the 2FA configs, WHM's reseller list and the packages lacking the 2FA
 * feature (each undefined while unread); root (absent from listaccts) comes from the configs.
 */
export function joinAccounts(
  listed: WhmData<'listaccts'>,
  configs: WhmData<'twofactorauth_get_user_configs'>,
  resellers: ReadonlySet<string> | undefined,
  packagesWithoutTwoFactor?: ReadonlySet<string>,
): AccountRow[] {
  const isReseller = (user: string) =>
    user === 'root' ? true : resellers ? resellers.has(user) : null;
  const available = (plan: string) =>
    packagesWithoutTwoFactor ? !packagesWithoutTwoFactor.has(plan) : null;
  const rows: AccountRow[] = [];
  const seen = new Set<string>();
  for (const account of listed.acct) {
    const user = account.user ?? '';
    if (!user || seen.has(user)) continue;
    seen.add(user);
    const domain = account.domain ?? '';
    const owner = account.owner ?? '';
    const plan = account.plan ?? '';
    rows.push({
      user,
      domain,
      owner,
      plan,
      email: contactEmail(account.email),
      suspended: isOn(account.suspended),
      twoFactor: isOn(configs[user]?.is_enabled),
      twoFactorAvailable: available(plan),
      isReseller: isReseller(user),
      haystack: haystackOf(user, domain, owner, plan),
    });
  }
  for (const [user, config] of Object.entries(configs)) {
    if (seen.has(user)) continue;
    const owner = user === 'root' ? 'root' : '';
    rows.push({
      user,
      domain: config.primary_domain,
      owner,
      plan: '',
      email: '',
      suspended: false,
      twoFactor: isOn(config.is_enabled),
      // root and others listaccts leaves out have no package: WHM's own 2FA applies to them.
      twoFactorAvailable: packagesWithoutTwoFactor ? true : null,
      isReseller: isReseller(user),
      haystack: haystackOf(user, config.primary_domain, owner, ''),
    });
  }
  return rows;
}

export interface OwnerCoverage {
  owner: string;
  enabled: number;
  total: number;
}

/** Its package lacks the 2FA feature: shown apart, not counted in coverage. */
export function isTwoFactorUnavailable(row: AccountRow): boolean {
  return row.twoFactorAvailable === false;
}

export interface Coverage {
  /** Customer accounts that can turn 2FA on: root is the server's own administrator, and
   * accounts whose package lacks the feature are counted apart. */
  enabled: number;
  total: number;
  percent: number;
  /** Customer accounts on packages without the 2FA feature. */
  unavailable: number;
  byOwner: OwnerCoverage[];
  /** root's 2FA state, or null when WHM did not list root. */
  rootTwoFactor: boolean | null;
}

export function percentOf(part: number, whole: number): number {
  return whole === 0 ? 0 : Math.round((part / whole) * 1000) / 10;
}

const natural = new Intl.Collator('en', { numeric: true, sensitivity: 'base' });

/** reseller2 before reseller10, as people count. */
export function naturalCompare(a: string, b: string): number {
  return natural.compare(a, b);
}

export function computeCoverage(rows: readonly AccountRow[]): Coverage {
  const owners = new Map<string, OwnerCoverage>();
  let enabled = 0;
  let total = 0;
  let unavailable = 0;
  let rootTwoFactor: boolean | null = null;
  for (const row of rows) {
    if (row.user === 'root') {
      rootTwoFactor = row.twoFactor;
      continue;
    }
    if (isTwoFactorUnavailable(row)) {
      unavailable += 1;
      continue;
    }
    const owner = row.owner || '(none)';
    let entry = owners.get(owner);
    if (!entry) {
      entry = { owner, enabled: 0, total: 0 };
      owners.set(owner, entry);
    }
    total += 1;
    entry.total += 1;
    if (row.twoFactor) {
      entry.enabled += 1;
      enabled += 1;
    }
  }
  const byOwner = [...owners.values()].sort(
    (a, b) => b.total - a.total || naturalCompare(a.owner, b.owner),
  );
  return {
    enabled,
    total,
    percent: percentOf(enabled, total),
    unavailable,
    byOwner,
    rootTwoFactor,
  };
}

export const SORT_KEYS = ['user', 'domain', 'owner', 'plan', 'suspended', 'twoFactor'] as const;
export type SortKey = (typeof SORT_KEYS)[number];

export interface AccountFilters {
  search: string;
  /** `on` and `off` are accounts that can have 2FA; `unavailable` those whose package lacks it. */
  twoFactor: 'on' | 'off' | 'unavailable' | '';
  owner: string;
  suspended: 'yes' | 'no' | '';
  /** `only`: the accounts on WHM's reseller list. */
  resellers: 'only' | '';
  sort: SortKey;
  dir: 'asc' | 'desc';
}

/** The accounts in the view's order; sorted once per order, so a keystroke only filters. */
export function sortAccounts(
  rows: readonly AccountRow[],
  key: SortKey,
  dir: AccountFilters['dir'],
): AccountRow[] {
  const sign = dir === 'desc' ? -1 : 1;
  return [...rows].sort((a, b) => {
    const left = a[key];
    const right = b[key];
    const order =
      typeof left === 'boolean'
        ? Number(left) - Number(right)
        : left < right
          ? -1
          : left > right
            ? 1
            : 0;
    return sign * order || (a.user < b.user ? -1 : a.user > b.user ? 1 : 0);
  });
}

/** The rows that match the filters, in the order given (the sort is not applied here). */
export function keepMatching(rows: readonly AccountRow[], filters: AccountFilters): AccountRow[] {
  const needle = filters.search.trim().toLowerCase();
  const wantSuspended = filters.suspended === '' ? null : filters.suspended === 'yes';
  const twoFactorMatches = (row: AccountRow) => {
    if (filters.twoFactor === '') return true;
    if (isTwoFactorUnavailable(row)) return filters.twoFactor === 'unavailable';
    return filters.twoFactor === (row.twoFactor ? 'on' : 'off');
  };
  return rows.filter(
    (row) =>
      twoFactorMatches(row) &&
      (wantSuspended === null || row.suspended === wantSuspended) &&
      (filters.owner === '' || row.owner === filters.owner) &&
      (filters.resellers === '' || (row.isReseller === true && row.user !== 'root')) &&
      (needle === '' || row.haystack.includes(needle)),
  );
}

export function filterAccounts(rows: readonly AccountRow[], filters: AccountFilters): AccountRow[] {
  return keepMatching(sortAccounts(rows, filters.sort, filters.dir), filters);
}

const CSV_HEADER = [
  'user',
  'domain',
  'owner',
  'plan',
  'suspended',
  'two_factor',
  'two_factor_available',
] as const;

export function accountsCsvRows(rows: readonly AccountRow[]) {
  return {
    header: CSV_HEADER,
    rows: rows.map((row) => [
      row.user,
      row.domain,
      row.owner,
      row.plan,
      row.suspended ? 'yes' : 'no',
      row.twoFactor ? 'on' : 'off',
      row.twoFactorAvailable === null ? 'unknown' : row.twoFactorAvailable ? 'yes' : 'no',
    ]),
  };
}
