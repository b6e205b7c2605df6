import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { lastChunk, parseEnvelope, type ListedAccount } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from './test-support/simulator.js';

type Full = Required<ListedAccount> & { tfa: boolean; reseller: boolean };
let t: TestSimulator;
let accounts: Full[];
beforeAll(async () => {
  t = await startTestSimulator({ accounts: 60 });
  const { acct } = await t.root.call('listaccts', {});
  const seeded = new Map(t.sim.accounts().map((a) => [a.user, a]));
  accounts = acct.map((a) => ({
    ...(a as Required<ListedAccount>),
    tfa: seeded.get(a.user ?? '')?.tfa ?? false,
    reseller: seeded.get(a.user ?? '')?.reseller ?? false,
  }));
});
afterAll(() => t.sim.close());

interface Answer {
  metadata: Record<string, unknown> & { result: number; reason: string };
  data?: { acct?: Record<string, unknown>[] } & Record<string, unknown>;
}

async function ask(fn: string, query: string): Promise<Answer> {
  return (await t.raw(`/json-api/${fn}?api.version=1&${query}`)).json as Answer;
}

async function users(query: string): Promise<string[]> {
  const answer = await ask('listaccts', `want=user,plan,disklimit,uid,ipv6,ip&${query}`);
  return (answer.data?.acct ?? []).map((acct) => String(acct.user));
}

const all = (): Full[] => accounts;
const names = (accounts: readonly { user: string }[]) => accounts.map((a) => a.user);

describe('api.* stages', () => {
  it('when enable is false in Perl’s sense (missing, empty, 0), then the stage is off; any other text turns it on', async () => {
    const filter = 'api.filter.a.field=user&api.filter.a.arg0=juniper';
    const juniper = names(all().filter((a) => a.user.includes('juniper')));
    expect(await users(filter)).toHaveLength(60);
    expect(await users(`api.filter.enable=&${filter}`)).toHaveLength(60);
    expect(await users(`api.filter.enable=0&${filter}`)).toHaveLength(60);
    expect(await users(`api.filter.enable=false&${filter}`)).toEqual(juniper);
    expect(await users(`api.filter.enable=1&${filter}`)).toEqual(juniper);
  });

  it('when columns name an unknown key, then metadata says so and the others stay', async () => {
    const answer = await ask(
      'listaccts',
      'api.columns.enable=1&api.columns.a=user&api.columns.b=nope&api.columns.c=gone',
    );
    expect(answer.metadata.columns).toEqual({
      invalid_msg: '“nope” and “gone” are not valid columns.',
      invalid: ['nope', 'gone'],
    });
    expect(answer.data?.acct?.[0]).toEqual({ user: expect.any(String) as unknown });
    const clean = await ask('listaccts', 'api.columns.enable=1&api.columns.a=user');
    expect(clean.metadata.columns).toEqual({ invalid_msg: 'None' });
  });
});

describe('api.filter', () => {
  const f = (type: string, field: string, arg: string, id = 'a') =>
    `api.filter.enable=1&api.filter.${id}.field=${field}&api.filter.${id}.type=${encodeURIComponent(type)}&api.filter.${id}.arg0=${encodeURIComponent(arg)}`;

  it('when contains, begins, eq and == filter, then they compare as Filter.pm does', async () => {
    expect(await users(f('contains', 'user', 'JUNIPER'))).toEqual(
      names(all().filter((a) => a.user.includes('juniper'))),
    );
    expect(await users(f('begins', 'user', 'RESELLER'))).toEqual(
      names(all().filter((a) => a.user.startsWith('reseller'))),
    );
    expect(await users(f('eq', 'plan', 'Basic'))).toEqual([]);
    expect(await users(f('eq', 'plan', 'basic'))).toEqual(
      names(all().filter((a) => a.plan === 'basic')),
    );
    const uid = all()[3]?.uid ?? 0;
    expect(await users(f('==', 'uid', `${uid}.0`))).toEqual([all()[3]?.user]);
  });

  it('when lt or gt meet unlimited, then lt lets it through and gt does not; the _handle_unlimited types do the opposite', async () => {
    const limits = all().map((a) => ({ user: a.user, limit: a.disklimit }));
    const unlimited = limits.filter((l) => l.limit === 'unlimited').map((l) => l.user);
    expect(unlimited.length).toBeGreaterThan(0);
    const small = limits.filter((l) => typeof l.limit === 'number' && l.limit < 5000);
    expect(await users(f('lt', 'disklimit', '5000'))).toEqual(
      limits
        .filter((l) => l.limit === 'unlimited' || (l.limit as number) < 5000)
        .map((l) => l.user),
    );
    expect(await users(f('gt', 'disklimit', '5000'))).toEqual(
      limits.filter((l) => typeof l.limit === 'number' && l.limit > 5000).map((l) => l.user),
    );
    expect(await users(f('lt_handle_unlimited', 'disklimit', '5000'))).toEqual(
      small.map((l) => l.user),
    );
    expect(await users(f('gt_handle_unlimited', 'disklimit', '5000'))).toEqual(
      limits
        .filter((l) => l.limit === 'unlimited' || (l.limit as number) > 5000)
        .map((l) => l.user),
    );
  });

  it('when the field is * or a path into an array, then any value or that item is matched', async () => {
    const v6 = all().filter((a) => a.ipv6.length > 0);
    expect(v6.length).toBeGreaterThan(0);
    const first = v6[0]?.ipv6[0] ?? '';
    expect(await users(f('eq', 'ipv6.[0]', first))).toEqual(
      names(all().filter((a) => a.ipv6[0] === first)),
    );
    expect(await users(f('contains', '*', first))).toEqual(
      names(all().filter((a) => a.ipv6.some((ip) => ip.includes(first)))),
    );
    // With * only contains, begins and eq work: == is ignored.
    expect(await users(f('==', '*', '0'))).toHaveLength(60);
  });

  it('when the id, field or type is not valid, or the argument is empty, then that filter is ignored', async () => {
    expect(await users(f('contains', 'user', 'juniper', 'enable'))).toHaveLength(60);
    expect(await users(f('contains', 'user', 'juniper', '1a'))).toHaveLength(60);
    expect(await users(f('contains', 'us er', 'juniper'))).toHaveLength(60);
    expect(await users(f('!=', 'user', 'juniper'))).toHaveLength(60);
    expect(await users(f('contains', 'user', ''))).toHaveLength(60);
    // Only eq takes an empty argument, and no user is empty.
    expect(await users(f('eq', 'user', ''))).toEqual([]);
  });

  it('when several filters are given, then all must match; verbose describes them and counts the records before', async () => {
    const answer = await ask(
      'listaccts',
      `${f('contains', 'user', 'e', 'a')}&api.filter.b.field=plan&api.filter.b.arg0=basic&api.filter.verbose=1`,
    );
    expect(answer.data?.acct?.map((a) => a.user)).toEqual(
      names(all().filter((a) => a.user.includes('e') && a.plan.includes('basic'))),
    );
    expect(answer.metadata.filter).toEqual({
      a: { valid: 1, field: 'user', type: 'contains', arg0: 'e' },
      b: { valid: 1, field: 'plan', type: 'contains', arg0: 'basic' },
      filtered: 60,
    });
  });

  it('when a filter removes everything, then acct is an empty array and result stays 1', async () => {
    const answer = await ask('listaccts', f('eq', 'user', 'nobody-at-all'));
    expect(answer).toMatchObject({ metadata: { result: 1 }, data: { acct: [] } });
  });
});

describe('api.sort', () => {
  const s = (id: string, field: string, method: string, reverse = '') =>
    `api.sort.${id}.field=${field}&api.sort.${id}.method=${method}${reverse === '' ? '' : `&api.sort.${id}.reverse=${reverse}`}`;

  it('when sorting lexicographic, numeric or reversed by Perl truth, then the order is that', async () => {
    const byUser = names(all()).sort();
    expect(await users(`api.sort.enable=1&${s('a', 'user', 'lexicographic')}`)).toEqual(byUser);
    expect(await users(`api.sort.enable=1&${s('a', 'user', 'nonsense', 'false')}`)).toEqual(
      [...byUser].reverse(),
    );
    expect(await users(`api.sort.enable=1&${s('a', 'user', 'lexicographic', '0')}`)).toEqual(
      byUser,
    );
    const byUid = [...all()].sort((a, b) => a.uid - b.uid).map((a) => a.user);
    expect(await users(`api.sort.enable=1&${s('a', 'uid', 'numeric', '1')}`)).toEqual(
      [...byUid].reverse(),
    );
  });

  it('when sorting numeric_zero_as_max or ipv4, then zero ranks last and addresses sort by octet', async () => {
    const answer = await ask(
      'listaccts',
      `want=user,maxaddons&api.sort.enable=1&${s('a', 'maxaddons', 'numeric_zero_as_max')}`,
    );
    const values = (answer.data?.acct ?? []).map((a) => a.maxaddons);
    // `unlimited` is 0 to Perl, so it ranks with the zeros.
    const isZero = (v: unknown) => v === 0 || v === 'unlimited';
    const zeros = values.filter(isZero).length;
    expect(values.filter((v) => v === 0).length).toBeGreaterThan(0);
    expect(values.slice(-zeros).every(isZero)).toBe(true);
    const numbers = values.slice(0, -zeros) as number[];
    expect(numbers).toEqual([...numbers].sort((a, b) => a - b));
    const ips = await ask('listaccts', `want=ip&api.sort.enable=1&${s('a', 'ip', 'ipv4')}`);
    const sorted = (ips.data?.acct ?? []).map((a) => String(a.ip));
    const octets = (ip: string) => ip.split('.').map(Number);
    expect(sorted).toEqual(
      [...sorted].sort((x, y) => {
        const [a, b] = [octets(x), octets(y)];
        for (let i = 0; i < 4; i += 1) if (a[i] !== b[i]) return (a[i] ?? 0) - (b[i] ?? 0);
        return 0;
      }),
    );
  });

  it('when several sort ids are given, then the alphabetically last decides alone; verbose gives the validity flag as field', async () => {
    const byUid = [...all()].sort((a, b) => a.uid - b.uid).map((a) => a.user);
    const answer = await ask(
      'listaccts',
      `want=user&api.sort.enable=1&api.sort.verbose=1&${s('a', 'user', 'lexicographic', '1')}&${s('b', 'uid', 'numeric')}`,
    );
    expect(answer.data?.acct?.map((a) => a.user)).toEqual(byUid);
    expect(answer.metadata.sort).toEqual({
      a: { field: 1, method: 'lexicographic', reverse: 1 },
      b: { field: 1, method: 'numeric', reverse: 0 },
    });
  });
});

describe('api.chunk', () => {
  it('when a page is asked by start or select, then that page comes back; a start past the end gives page 1', async () => {
    const everyone = names(all());
    const page = (q: string) => users(`api.chunk.enable=1&${q}`);
    expect(await page('api.chunk.size=7&api.chunk.start=8')).toEqual(everyone.slice(7, 14));
    expect(await page('api.chunk.size=7&api.chunk.select=3')).toEqual(everyone.slice(14, 21));
    expect(await page('api.chunk.size=7&api.chunk.start=3&api.chunk.select=3')).toEqual(
      everyone.slice(2, 9),
    );
    expect(await page('api.chunk.size=7&api.chunk.start=61')).toEqual(everyone.slice(0, 7));
    expect(await page('api.chunk.size=0&api.chunk.start=-4')).toEqual(everyone.slice(0, 60));
    expect(await page('api.chunk.size=abc')).toHaveLength(60);
  });

  it('when a pager walks the pages by the chunk metadata, then it stops on the total with every account once', async () => {
    const seen: string[] = [];
    let start = 1;
    for (let requests = 0; requests < 10; requests += 1) {
      const body = (
        await t.raw(
          `/json-api/listaccts?api.version=1&want=user&api.chunk.enable=1&api.chunk.verbose=1&api.chunk.size=25&api.chunk.start=${start}`,
        )
      ).json;
      const answer = parseEnvelope('listaccts', body, { want: 'user' });
      seen.push(...answer.data.acct.map((a) => a.user ?? ''));
      const chunk = answer.metadata.chunk;
      if (!chunk || lastChunk(chunk)) break;
      start = chunk.start + chunk.size;
    }
    expect(seen.sort()).toEqual(names(all()).sort());
  });

  it('when verbose, then metadata.chunk holds start, size, records, current and chunks', async () => {
    const answer = await ask(
      'listaccts',
      'want=user&api.chunk.enable=1&api.chunk.verbose=1&api.chunk.size=25&api.chunk.start=26',
    );
    expect(answer.metadata.chunk).toEqual({
      start: 26,
      size: 25,
      records: 60,
      current: 2,
      chunks: 3,
    });
    const past = await ask(
      'listaccts',
      'want=user&api.chunk.enable=1&api.chunk.verbose=1&api.chunk.size=25&api.chunk.start=99',
    );
    expect(past.metadata.chunk).toEqual({ start: 1, size: 25, records: 60, current: 1, chunks: 3 });
  });
});

describe('api.* on the 2FA functions', () => {
  const apiFailure = (answer: Answer) => {
    expect(answer.metadata.result).toBe(0);
    return answer.metadata.reason;
  };

  it('when get_user_configs gets any stage, then it is an API failure: its values are maps', async () => {
    for (const query of [
      'api.columns.enable=1&api.columns.a=is_enabled',
      'api.filter.enable=1&api.filter.a.field=is_enabled&api.filter.a.arg0=1',
      'api.sort.enable=1&api.sort.a.field=is_enabled',
      'api.chunk.enable=1&api.chunk.size=2',
    ]) {
      expect(apiFailure(await ask('twofactorauth_get_user_configs', query))).toMatch(
        /^API failure: Not an ARRAY reference at \/usr\/local\/cpanel\/\S+ line \d+\.\n$/,
      );
    }
    // A filter that cannot apply (empty argument) touches nothing.
    const idle = await ask(
      'twofactorauth_get_user_configs',
      'api.filter.enable=1&api.filter.a.field=is_enabled&api.filter.a.arg0=',
    );
    expect(idle.metadata.result).toBe(1);
  });

  it('when policy_status gets columns or a filter, then Perl dies on the plain value; sort and chunk do nothing', async () => {
    expect(
      apiFailure(await ask('twofactorauth_policy_status', 'api.columns.enable=1&api.columns.a=x')),
    ).toMatch(
      /^API failure: Can't use string \("0"\) as an ARRAY ref while "strict refs" in use at /,
    );
    expect(
      apiFailure(
        await ask(
          'twofactorauth_policy_status',
          'api.filter.enable=1&api.filter.a.field=x&api.filter.a.arg0=1',
        ),
      ),
    ).toMatch(/^API failure: Can't use string \("0"\) as an ARRAY ref/);
    for (const query of [
      'api.sort.enable=1&api.sort.a.field=x',
      'api.chunk.enable=1&api.chunk.size=1',
    ]) {
      expect(await ask('twofactorauth_policy_status', query)).toMatchObject({
        metadata: { result: 1 },
        data: { is_enabled: 0 },
      });
    }
  });

  it('when remove_user_config gets a stage, then (one of WHM’s hash orders) it fails on the failed map, after removing', async () => {
    const enrolled = all().find((a) => a.tfa && !a.reseller);
    if (!enrolled) throw new Error('the seed has no enrolled account');
    const answer = await ask(
      'twofactorauth_remove_user_config',
      `user=${enrolled.user}&api.chunk.enable=1&api.chunk.size=1`,
    );
    expect(apiFailure(answer)).toMatch(/^API failure: Not an ARRAY reference at /);
    expect(t.sim.secretOf(enrolled.user)).toBeUndefined();
  });

  it('when a function returns no data, then api.* is ignored', async () => {
    const answer = await ask(
      'twofactorauth_set_issuer',
      'api.columns.enable=1&api.columns.a=x&api.chunk.enable=1',
    );
    expect(answer.metadata.result).toBe(1);
  });
});
