import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import { SEARCHES_PER_MINUTE } from './search-limiter.js';

let t: TestConsole;
let viewer: Client;
beforeAll(async () => {
  t = await startTestConsole();
  viewer = await t.login('viewer');
});
afterAll(async () => {
  await t.close();
});

const listaccts = () => t.running.simulator!.calls.count('listaccts');
const users = (answer: { json: { data?: { acct: { user: string }[] } } }) =>
  (answer.json.data?.acct ?? []).map((a) => a.user);

describe('SECURITY 24: searches sent to WHM are exact or escaped substrings', () => {
  it('when the viewer asks for a regex search, then 400 names searchmethod and WHM is not called', async () => {
    const before = listaccts();
    const answer = await viewer.whm(
      'listaccts',
      'search=(a%2B)%2B%24&searchtype=user&searchmethod=regex',
    );
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'invalid_params', field: 'searchmethod' });
    expect(listaccts()).toBe(before);
  });

  it('when a search holds regex characters, then WHM matches them as text', async () => {
    const accounts = t.running.simulator!.accounts();
    const dotted = await viewer.whm('listaccts', 'search=.&searchtype=user&want=user');
    expect(dotted.status, dotted.text).toBe(200);
    expect(users(dotted)).toEqual([]);
    const unbalanced = await viewer.whm('listaccts', 'search=(&searchtype=domain&want=user');
    expect(unbalanced.status, unbalanced.text).toBe(200);
    expect(users(unbalanced)).toEqual([]);
    const anchored = await viewer.whm('listaccts', 'search=%5Eacme&searchtype=user&want=user');
    expect(users(anchored)).toEqual([]);
    const suffix = accounts[5]!.domain.slice(-8);
    const literal = await viewer.whm(
      'listaccts',
      `search=${encodeURIComponent(suffix)}&searchtype=domain&want=user`,
    );
    expect(users(literal).sort()).toEqual(
      accounts
        .filter((a) => a.domain.toLowerCase().includes(suffix.toLowerCase()))
        .map((a) => a.user)
        .sort(),
    );
  });

  it('when a search is exact, then it goes as it is', async () => {
    const account = t.running.simulator!.accounts()[7]!;
    const answer = await viewer.whm(
      'listaccts',
      `search=${encodeURIComponent(account.domain)}&searchtype=domain&searchmethod=exact&want=user`,
    );
    expect(users(answer)).toEqual([account.user]);
  });

  it('when an exact user search finds nobody, then WHM’s result 0 “No accounts found.” reads as no accounts', async () => {
    const account = t.running.simulator!.accounts().find((a) => !a.reseller)!;
    const found = await viewer.whm(
      'listaccts',
      `search=${account.user}&searchtype=user&searchmethod=exact&want=user`,
    );
    expect(users(found)).toEqual([account.user]);
    const none = await viewer.whm(
      'listaccts',
      'search=nosuchuser&searchtype=user&searchmethod=exact&want=user',
    );
    expect(none.status, none.text).toBe(200);
    expect(none.json).toMatchObject({ metadata: { result: 1 }, data: { acct: [] } });
  });

  it('when a search comes without searchtype, then 400 names searchtype and WHM is not called', async () => {
    const before = listaccts();
    const answer = await viewer.whm('listaccts', 'search=acme&want=user');
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'invalid_params', field: 'searchtype' });
    expect(listaccts()).toBe(before);
  });

  it('when one operator sends searches past the limit, then it gets 429 with Retry-After and others still search', async () => {
    const hasty = await t.login('support');
    let answer = await hasty.whm('listaccts', 'search=acme&searchtype=user&want=user');
    for (let i = 1; i < SEARCHES_PER_MINUTE && answer.status === 200; i++) {
      answer = await hasty.whm('listaccts', `search=acme${i}&searchtype=user&want=user`);
    }
    expect(answer.status, answer.text).toBe(200);
    const before = listaccts();
    const refused = await hasty.whm('listaccts', 'search=acme&searchtype=user&want=user');
    expect(refused.status).toBe(429);
    expect(refused.json.code).toBe('rate_limited');
    expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
    expect(listaccts()).toBe(before);
    const plainList = await hasty.whm('listaccts', 'want=user');
    expect(plainList.status).toBe(200);
    const other = await t.login('admin');
    expect((await other.whm('listaccts', 'search=acme&searchtype=user')).status).toBe(200);
  });
});
