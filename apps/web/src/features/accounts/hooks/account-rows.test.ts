import { describe, expect, it } from 'vitest';
import { computeCoverage, filterAccounts, joinAccounts, type AccountFilters } from './account-rows';

const listed = {
  acct: [
    { user: 'alice', domain: 'alice.test', owner: 'root', plan: 'p', suspended: 0 as const },
    { user: 'bob', domain: 'bob.test', owner: 'alice', plan: 'p', suspended: 1 as const },
  ],
};
const configs = {
  root: { is_enabled: 1 as const, primary_domain: 'host.test' },
  alice: { is_enabled: 0 as const, primary_domain: 'alice.test' },
  bob: { is_enabled: 1 as const, primary_domain: 'bob.test' },
};
const none: AccountFilters = {
  search: '',
  twoFactor: '',
  owner: '',
  suspended: '',
  resellers: '',
  sort: 'user',
  dir: 'asc',
};

describe('account rows', () => {
  it("when joined, then root is added from the configs and resellers are WHM's list, not owners", () => {
    // bob owns nothing and is a reseller; alice owns bob and is not: ownership cannot tell.
    const rows = joinAccounts(listed, configs, new Set(['bob']));
    expect(rows.map((r) => [r.user, r.twoFactor, r.isReseller, r.suspended])).toEqual([
      ['alice', false, false, false],
      ['bob', true, true, true],
      ['root', true, true, false],
    ]);
  });

  it('when the reseller list is not read, then nobody but root is known to be a customer or a reseller', () => {
    const rows = joinAccounts(listed, configs, undefined);
    expect(rows.map((r) => [r.user, r.isReseller])).toEqual([
      ['alice', null],
      ['bob', null],
      ['root', true],
    ]);
  });

  it('when filtering resellers only, then the accounts on the list are kept, root never', () => {
    const rows = joinAccounts(listed, configs, new Set(['bob']));
    expect(filterAccounts(rows, { ...none, resellers: 'only' }).map((r) => r.user)).toEqual([
      'bob',
    ]);
  });

  it('when WHM sends flags as strings, then they still count', () => {
    const rows = joinAccounts(
      { acct: [{ user: 'x', suspended: '1' as unknown as 1 }] },
      { x: { is_enabled: '1' as unknown as 1, primary_domain: 'x.test' } },
      new Set(),
    );
    expect(rows[0]).toMatchObject({ suspended: true, twoFactor: true });
  });

  it('when computing coverage, then root is counted apart from the customer accounts', () => {
    const coverage = computeCoverage(joinAccounts(listed, configs, new Set(['alice'])));
    expect(coverage).toMatchObject({ enabled: 1, total: 2, percent: 50, rootTwoFactor: true });
    expect(coverage.byOwner).toEqual([
      { owner: 'alice', enabled: 1, total: 1 },
      { owner: 'root', enabled: 0, total: 1 },
    ]);
  });

  it('when owners tie, then they are in natural order', () => {
    const acct = ['reseller10', 'reseller2', 'Reseller1'].map((owner, i) => ({
      user: `u${i}`,
      owner,
    }));
    const owners = computeCoverage(joinAccounts({ acct }, {}, new Set())).byOwner.map(
      (e) => e.owner,
    );
    expect(owners).toEqual(['Reseller1', 'reseller2', 'reseller10']);
  });

  it('when filtering and sorting, then only matches are kept in order', () => {
    const rows = joinAccounts(listed, configs, new Set(['alice']));
    expect(
      filterAccounts(rows, { ...none, twoFactor: 'on', dir: 'desc' }).map((r) => r.user),
    ).toEqual(['root', 'bob']);
    expect(filterAccounts(rows, { ...none, search: 'ALICE.T' }).map((r) => r.user)).toEqual([
      'alice',
    ]);
    expect(filterAccounts(rows, { ...none, suspended: 'yes' }).map((r) => r.user)).toEqual(['bob']);
    expect(filterAccounts(rows, { ...none, sort: 'twoFactor' }).map((r) => r.user)).toEqual([
      'alice',
      'bob',
      'root',
    ]);
  });
});

describe('accounts whose package lacks the 2FA feature', () => {
  const mixed = {
    acct: [
      { user: 'alice', domain: 'alice.test', owner: 'root', plan: 'gold', suspended: 0 as const },
      { user: 'bob', domain: 'bob.test', owner: 'alice', plan: 'lite', suspended: 0 as const },
      { user: 'carl', domain: 'carl.test', owner: 'alice', plan: 'lite', suspended: 0 as const },
    ],
  };
  const tfa = { ...configs, carl: { is_enabled: 0 as const, primary_domain: 'carl.test' } };

  it('when packages lacking it are known, then their accounts are kept out of coverage and counted apart', () => {
    const rows = joinAccounts(mixed, tfa, undefined, new Set(['lite']));
    expect(rows.map((r) => [r.user, r.twoFactorAvailable])).toEqual([
      ['alice', true],
      ['bob', false],
      ['carl', false],
      ['root', true],
    ]);
    const coverage = computeCoverage(rows);
    expect([coverage.enabled, coverage.total, coverage.unavailable]).toEqual([0, 1, 2]);
    expect(coverage.byOwner).toEqual([{ owner: 'root', enabled: 0, total: 1 }]);
  });

  it('when they are not known, then every account counts and availability is unknown', () => {
    const rows = joinAccounts(mixed, tfa, undefined, undefined);
    expect(rows.every((r) => r.twoFactorAvailable === null)).toBe(true);
    const coverage = computeCoverage(rows);
    expect([coverage.enabled, coverage.total, coverage.unavailable]).toEqual([1, 3, 0]);
  });

  it('when filtering, then unavailable is its own value and off means could-but-has-not', () => {
    const rows = joinAccounts(mixed, tfa, undefined, new Set(['lite']));
    const users = (twoFactor: AccountFilters['twoFactor']) =>
      filterAccounts(rows, { ...none, twoFactor }).map((r) => r.user);
    expect(users('unavailable')).toEqual(['bob', 'carl']);
    expect(users('off')).toEqual(['alice']);
    expect(users('on')).toEqual(['root']);
  });
});
