import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

let t: TestConsole;
let admin: Client;
beforeAll(async () => {
  t = await startTestConsole();
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

const upstreamCalls = () => {
  const calls = t.running.simulator!.calls;
  return ['listaccts', 'twofactorauth_get_user_configs', 'twofactorauth_set_issuer'].map((fn) =>
    calls.count(fn),
  );
};

function nested(depth: number): string {
  return `{"issuer":${'['.repeat(depth)}"x"${']'.repeat(depth)}}`;
}

describe('SECURITY 16, 30: no input gives a 5xx', () => {
  it('when a body is nested deeply, then every JSON route answers 400 naming the body', async () => {
    for (const depth of [100, 5_000]) {
      const whm = await admin.request('POST', '/api/servers/local/whm/twofactorauth_set_issuer', {
        rawBody: nested(depth),
      });
      expect(whm.status, `depth ${depth}: ${whm.text}`).toBe(400);
      expect(whm.json).toMatchObject({ code: 'invalid_params', field: 'body' });
      const stepUp = await admin.request('POST', '/api/session/step-up', {
        rawBody: `{"password":${'['.repeat(depth)}${']'.repeat(depth)}}`,
      });
      expect(stepUp.status).toBe(400);
      const login = await t.anon().request('POST', '/api/session', {
        rawBody: `{"username":${'{"a":'.repeat(depth / 2)}1${'}'.repeat(depth / 2)}}`,
        csrf: false,
      });
      expect(login.status, login.text).toBe(400);
    }
  });

  it('when a body is nested a little, then it is still read (a string holding brackets counts for nothing)', async () => {
    const answer = await admin.request('POST', '/api/servers/local/whm/twofactorauth_set_issuer', {
      rawBody: '{"issuer":"[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[[{{{{{{{{{{{{{{{{{{{{{{{{{{{"}',
    });
    expect(answer.status).toBe(400);
    expect(answer.json.field).toBe('issuer');
  });

  it('when a prototype name is sent in a param, want or api.* field, then 400 names it and WHM is not called', async () => {
    const before = upstreamCalls();
    const reads: [string, string, string][] = [
      ['listaccts', 'want=user,constructor', 'want'],
      ['listaccts', 'want=__proto__', 'want'],
      ['listaccts', 'search=prototype&searchtype=user', 'search'],
      ['listaccts', 'api.columns.enable=1&api.columns.a=constructor', 'api.columns.0'],
      [
        'listaccts',
        'api.filter.enable=1&api.filter.a.field=__proto__&api.filter.a.arg0=x',
        'api.filter.0.field',
      ],
      [
        'listaccts',
        'api.filter.enable=1&api.filter.a.field=user&api.filter.a.arg0=prototype',
        'api.filter.0.arg0',
      ],
      [
        'listaccts',
        'api.sort.enable=1&api.sort.a.field=constructor&api.sort.a.method=numeric',
        'api.sort.0.field',
      ],
      ['twofactorauth_get_user_configs', 'user=constructor', 'user'],
    ];
    for (const [fn, query, field] of reads) {
      const answer = await admin.whm(fn, query);
      expect(answer.status, `${query}: ${answer.text}`).toBe(400);
      expect(answer.json).toMatchObject({ code: 'invalid_params', field });
    }
    for (const body of [{ issuer: 'constructor' }, { issuer: '"prototype"' }]) {
      const answer = await admin.whmWrite('twofactorauth_set_issuer', body);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.field).toBe('issuer');
    }
    const keyed = await admin.request('POST', '/api/servers/local/whm/twofactorauth_set_issuer', {
      rawBody: '{"__proto__":{"issuer":"x"},"issuer":"Fine"}',
    });
    expect(keyed.status).toBe(400);
    expect(upstreamCalls()).toEqual(before);
  });
});
