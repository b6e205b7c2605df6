import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

// A read's query is worked out once per query (validation.ts, ReadPlans); what depends on the
// request or the caller must still be checked on every request.
let t: TestConsole;
let viewer: Client;
beforeAll(async () => {
  t = await startTestConsole();
  viewer = await t.login('viewer');
});
afterAll(async () => {
  await t.close();
});

const calls = (fn: string) => t.running.simulator!.calls.count(fn);

describe('a read worked out once per query', () => {
  it('when a read already answered comes again with a body, then it is refused naming the body', async () => {
    expect((await viewer.whm('twofactorauth_policy_status')).status).toBe(200);
    const before = calls('twofactorauth_policy_status');
    const withBody = await viewer.get('/api/servers/local/whm/twofactorauth_policy_status', {
      rawBody: '{}',
    });
    expect(withBody.status, withBody.text).toBe(400);
    expect(withBody.json).toMatchObject({ code: 'invalid_params', field: 'body' });
    expect(calls('twofactorauth_policy_status')).toBe(before);
  });

  it('when a refused query comes again, then it is refused again and never reaches WHM', async () => {
    const before = calls('listaccts');
    for (let i = 0; i < 2; i++) {
      const answer = await viewer.whm('listaccts', 'want=user&search=x');
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json).toMatchObject({ field: 'searchtype' });
    }
    expect(calls('listaccts')).toBe(before);
  });

  it('when queries differ only in their columns, then each gets its own columns', async () => {
    const users = await viewer.whm('listaccts', 'want=user');
    const domains = await viewer.whm('listaccts', 'want=user,domain');
    expect(Object.keys(users.json.data.acct[0]).sort()).toEqual(['user']);
    expect(Object.keys(domains.json.data.acct[0]).sort()).toEqual(['domain', 'user']);
    const again = await viewer.whm('listaccts', 'want=user');
    expect(again.text).toBe(users.text);
  });
});
