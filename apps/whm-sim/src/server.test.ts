import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhmError, WhmTransportError, createWhmClient, whmReasons } from '@console/whm-api';
import { ROOT_TOKEN, startTestSimulator, type TestSimulator } from './test-support/simulator.js';

let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator();
});
afterAll(() => t.sim.close());

const STATUS = '/json-api/twofactorauth_policy_status?api.version=1';

describe('authentication', () => {
  it('when there are no credentials, then the answer is 401 in plain text', async () => {
    const response = await fetch(new URL(STATUS, t.sim.url));
    expect(response.status).toBe(401);
    expect(response.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(response.headers.get('www-authenticate')).toMatch(/^Basic/);
    await expect(response.text()).resolves.not.toMatch(/^\{/);
  });

  it('when the token is wrong, then the answer is 403 HTML and the client says forbidden', async () => {
    const response = await t.raw(STATUS, { headers: { authorization: 'whm root:wrong' } });
    expect(response.status).toBe(403);
    expect(response.body).toMatch(/<html>/);
    const client = t.clientFor('root', 'wrong');
    await expect(client.call('twofactorauth_policy_status', {})).rejects.toMatchObject({
      failure: 'forbidden',
      status: 403,
    });
  });

  it('when the token belongs to another user, then the answer is 403', async () => {
    const a = t.reseller(0);
    const response = await t.raw(STATUS, {
      headers: { authorization: `whm ${a.user}:${ROOT_TOKEN}` },
    });
    expect(response.status).toBe(403);
  });

  it('when the token is a cPanel token, then WHM refuses it with 403', async () => {
    t.sim.addToken('root', 'cpanelABCDEF');
    const response = await t.raw(STATUS, { headers: { authorization: 'whm root:cpanelABCDEF' } });
    expect(response.status).toBe(403);
  });

  it('when the client sends an unknown user, then the client says unauthorized or forbidden', async () => {
    const response = await t.raw(STATUS, { headers: { authorization: 'Bearer abc' } });
    expect(response.status).toBe(401);
    const client = createWhmClient({ url: t.sim.url, user: 'nobody', token: 'x' });
    await expect(client.call('twofactorauth_policy_status', {})).rejects.toBeInstanceOf(
      WhmTransportError,
    );
  });

  it('when Basic auth carries the token as password, then the call succeeds', async () => {
    const basic = Buffer.from(`root:${ROOT_TOKEN}`).toString('base64');
    const response = await t.raw(STATUS, { headers: { authorization: `Basic ${basic}` } });
    expect(response.status).toBe(200);
    expect(response.json).toMatchObject({ metadata: { result: 1 }, data: { is_enabled: 0 } });
    const wrong = Buffer.from('root:nope').toString('base64');
    expect((await t.raw(STATUS, { headers: { authorization: `Basic ${wrong}` } })).status).toBe(
      403,
    );
  });

  it('when a reseller token is added for a user that is not a reseller, then it is refused', () => {
    const plain = t.sim.accounts().find((a) => !a.reseller);
    expect(() => t.sim.addToken(plain?.user ?? 'x', 'token')).toThrow(/reseller/);
  });
});

describe('transport', () => {
  it('when params come as GET query or POST form, then both work', async () => {
    const get = await t.raw('/json-api/twofactorauth_set_issuer?api.version=1&issuer=ByQuery');
    expect(get.json).toMatchObject({ metadata: { result: 1 } });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toMatchObject({
      issuer: 'ByQuery',
    });
    const post = await t.raw('/json-api/twofactorauth_set_issuer', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'api.version=1&issuer=ByForm',
    });
    expect(post.json).toMatchObject({ metadata: { result: 1 } });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toMatchObject({
      issuer: 'ByForm',
    });
    await t.root.call('twofactorauth_set_issuer', {});
  });

  it('when api.version=1 is missing, then WHM answers as API 0, which lacks the 2FA functions', async () => {
    const response = await t.raw('/json-api/twofactorauth_policy_status');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      metadata: {
        command: 'twofactorauth_policy_status',
        reason:
          'Unknown app (twofactorauth_policy_status) requested for this version (0) of the API.',
        result: 0,
        version: 0,
      },
    });
    const failing = await t.raw(
      '/json-api/listaccts?search=x&searchtype=email&api.chunk.enable=1&api.chunk.size=0',
    );
    expect(failing.json).toMatchObject({ status: 0, statusmsg: expect.any(String) as unknown });
    const listing = await t.raw('/json-api/listaccts?search=reseller&searchtype=user');
    const resellers = t.sim.accounts().filter((a) => a.reseller).length;
    expect((listing.json as { acct: unknown[] }).acct).toHaveLength(resellers);
    expect(listing.json).toMatchObject({
      status: 1,
      statusmsg: 'Ok',
      acct: expect.any(Array) as unknown,
    });
  });

  it('when the function is unknown, then WHM says so in the envelope', async () => {
    const response = await t.raw('/json-api/createacct?api.version=1');
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      metadata: {
        command: 'createacct',
        reason: whmReasons.unknownFunction('createacct'),
        result: 0,
        version: 1,
      },
    });
  });

  it('when the path is not a json-api path, then the answer is 404', async () => {
    expect((await t.raw('/json-api/')).status).toBe(404);
    expect((await t.raw('/somewhere/else')).status).toBe(404);
  });

  it('when the path has a cpsess prefix, then it works like cPanel’s', async () => {
    const response = await t.raw(`/cpsess1234567890${STATUS}`);
    expect(response.json).toMatchObject({ metadata: { result: 1 } });
  });

  it('when the method is neither GET nor POST, then the answer is 405', async () => {
    expect((await t.raw(STATUS, { method: 'PUT', body: '' })).status).toBe(405);
  });

  it('when the body is over a megabyte, then the answer is 413 and the server keeps serving', async () => {
    const response = await t.raw('/json-api/twofactorauth_set_issuer', {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `api.version=1&issuer=${'a'.repeat(1_100_000)}`,
    });
    expect(response.status).toBe(413);
    await expect(t.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
      is_enabled: 0,
    });
  });
});

describe('robustness', () => {
  it('when a handler throws, then WHM answers API failure with the error and keeps serving', async () => {
    let explode = false;
    const fragile = await startTestSimulator({
      clock: () => {
        if (explode) throw new Error('clock exploded');
        return Date.now();
      },
    });
    try {
      explode = true;
      const error = await fragile.root
        .call('twofactorauth_set_tfa_config', { secret: 'JBSWY3DPEHPK3PXP', tfa_token: '123456' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WhmError);
      expect((error as WhmError).reason).toMatch(
        /^API failure: clock exploded at \S+ line \d+\.\n$/,
      );
      await expect(fragile.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
        is_enabled: 0,
      });
    } finally {
      await fragile.sim.close();
    }
  });

  it('when WHM answers result 0, then the client raises WhmError with command and reason', async () => {
    const error = await t.root
      .call('twofactorauth_get_user_configs', { user: 'ghost' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhmError);
    expect(error).toMatchObject({
      command: 'twofactorauth_get_user_configs',
      reason: whmReasons.noAccess('ghost'),
    });
  });
});
