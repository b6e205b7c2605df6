import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ACCOUNT_FIELDS } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';

let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator({ accounts: 60 });
});
afterAll(() => t.sim.close());

async function users(query: string): Promise<string[]> {
  const response = await t.raw(`/json-api/listaccts?api.version=1&${query}`);
  const data = (response.json as { data?: { acct: { user: string }[] } }).data;
  return (data?.acct ?? []).map((acct) => acct.user);
}

describe('listaccts', () => {
  it('when root lists, then every account comes back with every contract field', async () => {
    const { acct } = await t.root.call('listaccts', {});
    expect(acct).toHaveLength(60);
    for (const account of acct)
      expect(Object.keys(account).sort()).toEqual([...ACCOUNT_FIELDS].sort());
    const suspended = acct.filter((a) => a.suspended === 1);
    expect(suspended.length).toBeGreaterThan(0);
    for (const a of suspended) {
      expect(typeof a.suspendreason).toBe('string');
      expect(a.suspendtime).toBeGreaterThan(a.unix_startdate ?? 0);
    }
    expect(acct.find((a) => a.suspended === 0)?.suspendtime).toBe(0);
    for (const a of acct) {
      expect(a.child_nodes).toEqual([]);
      expect([0, 1]).toContain(a.has_backup);
      expect(Array.isArray(a.ipv6)).toBe(true);
    }
    expect(acct.some((a) => a.email === '*unknown*')).toBe(true);
    expect(new Set(acct.map((a) => a.plan)).size).toBeGreaterThanOrEqual(4);
    expect(new Set(acct.map((a) => a.owner)).size).toBeGreaterThanOrEqual(3);
  });

  it('when a reseller lists, then it sees only the accounts it owns, not itself', async () => {
    const a = t.reseller(0);
    const { acct } = await a.client.call('listaccts', {});
    expect(acct.length).toBeGreaterThan(1);
    for (const account of acct) expect(account.owner).toBe(a.user);
    expect(acct.some((account) => account.user === a.user)).toBe(false);
    const b = t.reseller(1);
    expect(acct.some((account) => account.owner === b.user)).toBe(false);
  });

  it('when searching by user with a regex, then matching is case-insensitive', async () => {
    expect(await users('search=%5EACME&searchtype=user')).toEqual(
      t.sim
        .accounts()
        .filter((a) => a.user.startsWith('acme'))
        .map((a) => a.user),
    );
  });

  it('when searching by owner, domain, ip or package, then that field is matched', async () => {
    const accounts = t.sim.accounts();
    const a = t.reseller(0).user;
    expect(await users(`search=${a}&searchtype=owner&searchmethod=exact`)).toEqual(
      accounts.filter((acct) => acct.owner === a).map((acct) => acct.user),
    );
    const domain = accounts[7]?.domain ?? '';
    expect(
      await users(`search=${encodeURIComponent(domain)}&searchtype=domain&searchmethod=exact`),
    ).toEqual([accounts[7]?.user]);
    expect(await users('search=starter&searchtype=package')).toEqual(
      accounts.filter((acct) => acct.plan === 'starter').map((acct) => acct.user),
    );
    const { acct } = await t.root.call('listaccts', {
      search: '^198\\.51\\.100\\.',
      searchtype: 'ip',
    });
    expect(acct.length).toBeGreaterThan(0);
    for (const account of acct) expect(account.ip).toMatch(/^198\.51\.100\./);
  });

  it('when searchmethod is exact, then a partial value does not match', async () => {
    const acct = t.sim.accounts().find((a) => !a.reseller);
    const user = acct?.user ?? '';
    expect(await users(`search=${user.slice(0, 3)}&searchtype=domain&searchmethod=exact`)).toEqual(
      [],
    );
    const domain = (acct?.domain ?? '').toUpperCase();
    expect(await users(`search=${domain}&searchtype=domain&searchmethod=exact`)).toEqual([user]);
  });

  it('when an exact user search finds nobody, then WHM answers result 0, No accounts found.', async () => {
    const user = t.sim.accounts().find((a) => !a.reseller)?.user ?? '';
    expect(await users(`search=${user}&searchtype=user&searchmethod=exact`)).toEqual([user]);
    for (const search of [user.toUpperCase(), user.slice(0, 3), '']) {
      const response = await t.raw(
        `/json-api/listaccts?api.version=1&searchtype=user&searchmethod=exact&search=${search}`,
      );
      expect(response.json).toEqual({
        metadata: { command: 'listaccts', reason: 'No accounts found.', result: 0, version: 1 },
      });
    }
    // The contract reads it as an empty list.
    await expect(
      t.root.call('listaccts', { search: 'nobodyhere', searchtype: 'user', searchmethod: 'exact' }),
    ).resolves.toEqual({ acct: [] });
  });

  it('when root searches exactly for a system user that is no account, then result 1 and no data', async () => {
    const response = await t.raw(
      '/json-api/listaccts?api.version=1&searchtype=user&searchmethod=exact&search=root',
    );
    expect(response.json).toEqual({
      metadata: { command: 'listaccts', reason: 'OK', result: 1, version: 1 },
    });
  });

  it('when a reseller searches exactly for an account it does not own, or itself, then No accounts found.', async () => {
    const a = t.reseller(0);
    const b = t.reseller(1);
    const owned = t.sim.accounts().find((acct) => acct.owner === a.user)?.user ?? '';
    const foreign = t.sim.accounts().find((acct) => acct.owner === b.user)?.user ?? '';
    const ask = (search: string) =>
      t.raw(
        `/json-api/listaccts?api.version=1&searchtype=user&searchmethod=exact&search=${search}`,
        {
          headers: { authorization: `whm ${a.user}:token-of-${a.user}` },
        },
      );
    expect((await ask(owned)).json).toMatchObject({
      metadata: { result: 1 },
      data: { acct: [{ user: owned }] },
    });
    for (const search of [foreign, a.user, 'root']) {
      expect((await ask(search)).json).toMatchObject({
        metadata: { result: 0, reason: 'No accounts found.' },
      });
    }
  });

  it('when searchtype is not one WHM knows, then Unknown search type. before anything else', async () => {
    for (const searchtype of ['', 'email', 'USER']) {
      const response = await t.raw(
        `/json-api/listaccts?api.version=1&searchtype=${searchtype}&searchmethod=exact&search=x`,
      );
      expect(response.json).toEqual({
        metadata: { command: 'listaccts', reason: 'Unknown search type.', result: 0, version: 1 },
      });
    }
    // Perl's `$` lets a final newline pass the check; then no search type matches, so no filter.
    expect(await users('searchtype=user%0A&search=zzzz')).toHaveLength(60);
  });

  it('when search comes without searchtype, then nothing is filtered', async () => {
    expect(await users('search=zzzz')).toHaveLength(60);
  });

  it('when searching domain_and_user, then either field may match, and exact never matches', async () => {
    const acct = t.sim.accounts()[10];
    const found = await users(`searchtype=domain_and_user&search=${acct?.user ?? ''}`);
    expect(found).toContain(acct?.user);
    expect(
      await users(`searchtype=domain_and_user&searchmethod=exact&search=${acct?.user ?? ''}`),
    ).toEqual([]);
  });

  it('when nothing matches, then result is 1 and there is no data key', async () => {
    const response = await t.raw('/json-api/listaccts?api.version=1&search=zzzz&searchtype=user');
    expect(response.json).toEqual({
      metadata: { command: 'listaccts', reason: 'OK', result: 1, version: 1 },
    });
    await expect(t.root.call('listaccts', { search: 'zzzz', searchtype: 'user' })).resolves.toEqual(
      {
        acct: [],
      },
    );
  });

  it('when the search regex is invalid, then it matches every non-empty value', async () => {
    expect(await users('search=(unclosed&searchtype=user')).toHaveLength(60);
    expect(await users('search=(unclosed&searchtype=domain&searchmethod=regex')).toHaveLength(60);
  });

  it('when the search regex backtracks catastrophically, then WHM fails the call within its budget', async () => {
    const started = performance.now();
    const evil = await t.raw(
      `/json-api/listaccts?api.version=1&searchtype=domain&search=${encodeURIComponent('^((([a-z0-9.])+)+)+!$')}`,
    );
    expect(evil.json).toMatchObject({ metadata: { result: 0 } });
    expect(performance.now() - started).toBeLessThan(3_000);
    await expect(t.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
      is_enabled: 0,
    });
  });

  it('when want names fields, then each account has exactly those, an unknown one as null', async () => {
    const response = await t.raw(
      '/json-api/listaccts?api.version=1&want=user,suspended,nosuchfield',
    );
    const acct = (response.json as { data: { acct: Record<string, unknown>[] } }).data.acct;
    expect(acct[0]).toEqual({
      user: expect.any(String) as unknown,
      suspended: expect.any(Number) as unknown,
      nosuchfield: null,
    });
    const none = await t.raw('/json-api/listaccts?api.version=1&want=');
    const empty = (none.json as { data: { acct: unknown[] } }).data.acct;
    expect(empty).toHaveLength(60);
    for (const record of empty) expect(record).toEqual({});
  });

  it('when api.filter asks for users containing a text, then only they come back', async () => {
    const { acct } = await t.root.call(
      'listaccts',
      {},
      { output: { filter: [{ field: 'user', arg0: 'JUNIPER', type: 'contains' }] } },
    );
    expect(acct.map((a) => a.user)).toEqual(
      t.sim
        .accounts()
        .filter((a) => a.user.includes('juniper'))
        .map((a) => a.user),
    );
    const suspended = await t.root.call(
      'listaccts',
      {},
      { output: { filter: [{ field: 'suspended', arg0: '1', type: '==' }] } },
    );
    expect(suspended.acct.length).toBe(t.sim.accounts().filter((a) => a.suspended === 1).length);
  });

  it('when api.sort asks for users in reverse, then they come back in reverse order', async () => {
    const { acct } = await t.root.call(
      'listaccts',
      {},
      { output: { sort: [{ field: 'user', method: 'lexicographic', reverse: true }] } },
    );
    const names = acct.map((a) => a.user ?? '');
    expect(names).toEqual([...names].sort().reverse());
    const byUid = await t.root.call(
      'listaccts',
      {},
      { output: { sort: [{ field: 'uid', method: 'numeric', reverse: false }] } },
    );
    const uids = byUid.acct.map((a) => a.uid ?? 0);
    expect(uids).toEqual([...uids].sort((x, y) => x - y));
  });

  it('when api.chunk asks for a page, then start is 1-based', async () => {
    const all = t.sim.accounts().map((a) => a.user);
    const { acct } = await t.root.call(
      'listaccts',
      {},
      { output: { chunk: { size: 5, start: 1 } } },
    );
    expect(acct.map((a) => a.user)).toEqual(all.slice(0, 5));
    const second = await t.root.call('listaccts', {}, { output: { chunk: { size: 5, start: 6 } } });
    expect(second.acct.map((a) => a.user)).toEqual(all.slice(5, 10));
  });

  it('when api.columns names fields, then each account has only those', async () => {
    const { acct } = await t.root.call('listaccts', {}, { output: { columns: ['user', 'owner'] } });
    expect(Object.keys(acct[0] ?? {}).sort()).toEqual(['owner', 'user']);
  });

  it('when columns, filter, sort and chunk are combined, then they apply in that order', async () => {
    const output = {
      filter: [{ field: 'plan', arg0: 'basic', type: 'eq' as const }],
      sort: [{ field: 'user', method: 'lexicographic' as const, reverse: false }],
      chunk: { size: 3, start: 2 },
    };
    const { acct } = await t.root.call(
      'listaccts',
      {},
      { output: { ...output, columns: ['user', 'plan'] } },
    );
    const expected = t.sim
      .accounts()
      .filter((a) => a.plan === 'basic')
      .map((a) => a.user)
      .sort()
      .slice(1, 4);
    expect(acct).toEqual(expected.map((user) => ({ user, plan: 'basic' })));
    // Columns run first: a filter on a dropped column sees it missing and removes everything.
    const dropped = await t.raw(
      '/json-api/listaccts?api.version=1&api.columns.enable=1&api.columns.a=user&api.filter.enable=1&api.filter.a.field=plan&api.filter.a.type=eq&api.filter.a.arg0=basic',
    );
    expect(dropped.json).toMatchObject({ metadata: { result: 1 }, data: { acct: [] } });
  });
});

describe('listaccts at scale', () => {
  it('when there are 10,000 accounts, then seeding and one full listing take well under a second each', async () => {
    const started = performance.now();
    const big = await startTestSimulator({ accounts: 10_000 });
    const seeded = performance.now() - started;
    try {
      const before = performance.now();
      const { acct } = await big.root.call('listaccts', {});
      const listed = performance.now() - before;
      expect(acct).toHaveLength(10_000);
      expect(seeded).toBeLessThan(1_000);
      expect(listed).toBeLessThan(1_000);
    } finally {
      await big.sim.close();
    }
  });
});
