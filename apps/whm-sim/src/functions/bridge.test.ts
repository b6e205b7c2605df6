import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { bridgeReasons, WhmError, whmReasons } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';
import { totpCode } from '../totp.js';

const NOW = 1_760_000_000_000;
let t: TestSimulator;
beforeEach(async () => {
  t = await startTestSimulator({ accounts: 40, clock: () => NOW });
});
afterEach(() => t.sim.close());

function account(predicate: (a: ReturnType<TestSimulator['sim']['accounts']>[number]) => boolean) {
  const found = t.sim.accounts().find(predicate);
  if (!found) throw new Error('the seed has no such account');
  return found;
}

/** As cPanel's Perl client (cPanel::APIClient, UAPIFromWHM1) sends it: a POST form, api.version=1. */
async function bridge(params: Record<string, string>, authorization?: string) {
  const form = new URLSearchParams({
    cpanel_jsonapi_apiversion: '3',
    ...params,
    'api.version': '1',
  });
  return t.raw('/json-api/cpanel', {
    method: 'POST',
    headers: {
      'content-type': 'application/x-www-form-urlencoded',
      ...(authorization ? { authorization } : {}),
    },
    body: form.toString(),
  });
}

async function viaUapiCpanel(user: string, fn: string) {
  const query = `api.version=1&cpanel.user=${user}&cpanel.module=TwoFactorAuth&cpanel.function=${fn}`;
  const answer = await t.raw(`/json-api/uapi_cpanel?${query}`);
  return (answer.json as { data: { uapi: unknown } }).data.uapi;
}

const refusal = (reason: string) => ({
  data: { reason, result: '0' },
  type: 'text',
  error: reason,
});

describe('json-api/cpanel (UAPI through the older bridge)', () => {
  it('when an enrolled account is asked, then the answer is {module, func, apiversion, result} with no WHM envelope', async () => {
    const enrolled = account((a) => a.tfa && a.owner === 'root' && !a.reseller);
    const answer = await bridge({
      cpanel_jsonapi_user: enrolled.user,
      cpanel_jsonapi_module: 'TwoFactorAuth',
      cpanel_jsonapi_func: 'get_user_configuration',
    });
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      module: 'TwoFactorAuth',
      func: 'get_user_configuration',
      apiversion: 3,
      result: {
        status: 1,
        data: { is_enabled: 1, issuer: 'whm.example.test' },
        errors: null,
        messages: null,
        warnings: null,
        metadata: {},
      },
    });
  });

  it('when the same calls go through uapi_cpanel, then result is exactly its data.uapi (one set of rules)', async () => {
    const plain = account((a) => !a.tfa && a.plan !== 'starter' && !a.reseller);
    const starter = account((a) => a.plan === 'starter');
    for (const [user, fn] of [
      [plain.user, 'get_user_configuration'],
      [starter.user, 'get_user_configuration'],
      [plain.user, 'no_such_function'],
    ] as const) {
      const answer = await bridge({
        cpanel_jsonapi_user: user,
        cpanel_jsonapi_module: 'TwoFactorAuth',
        cpanel_jsonapi_func: fn,
      });
      expect((answer.json as { result: unknown }).result).toEqual(await viaUapiCpanel(user, fn));
    }
  });

  it('when the account’s package lacks twofactorauth, then UAPI refuses with the feature error', async () => {
    const starter = account((a) => a.plan === 'starter');
    const answer = await t.root.call('cpanel', {
      cpanel_jsonapi_user: starter.user,
      cpanel_jsonapi_module: 'TwoFactorAuth',
      cpanel_jsonapi_func: 'get_user_configuration',
      cpanel_jsonapi_apiversion: 3,
    });
    expect(answer.result).toMatchObject({
      status: 0,
      errors: [whmReasons.missingFeature('twofactorauth')],
    });
  });

  it('when an account is enrolled through the bridge, then its secret is stored', async () => {
    const plain = account((a) => !a.tfa && a.plan !== 'starter' && !a.reseller);
    const call = (func: 'generate_user_configuration' | 'set_user_configuration', extra = {}) =>
      t.root.call('cpanel', {
        cpanel_jsonapi_user: plain.user,
        cpanel_jsonapi_module: 'TwoFactorAuth',
        cpanel_jsonapi_func: func,
        cpanel_jsonapi_apiversion: '3',
        ...extra,
      });
    const generated = await call('generate_user_configuration');
    const { secret } = generated.result.data as { secret: string };
    const set = await call('set_user_configuration', {
      secret,
      tfa_token: totpCode(secret, NOW),
    });
    expect(set.result).toMatchObject({ status: 1, data: { tfa_configured: 1 } });
    expect(t.sim.secretOf(plain.user)).toBe(secret);
  });

  it('when the account is missing, unknown or root, then the bridge refuses in its own shape', async () => {
    const base = {
      cpanel_jsonapi_module: 'TwoFactorAuth',
      cpanel_jsonapi_func: 'get_user_configuration',
    };
    for (const user of [undefined, 'nosuchuser', 'root']) {
      const answer = await bridge(
        user === undefined ? base : { ...base, cpanel_jsonapi_user: user },
      );
      expect(answer.json, String(user)).toEqual(refusal(bridgeReasons.invalidUser));
    }
  });

  it('when a reseller names an account it does not own, then it is refused; its own account runs', async () => {
    const { user: reseller, client } = t.reseller(0);
    const own = account((a) => a.owner === reseller && !a.reseller && a.plan !== 'starter');
    const other = account((a) => a.owner === 'root' && !a.reseller);
    const params = {
      cpanel_jsonapi_module: 'TwoFactorAuth' as const,
      cpanel_jsonapi_func: 'get_user_configuration' as const,
      cpanel_jsonapi_apiversion: 3 as const,
    };
    await expect(
      client.call('cpanel', { ...params, cpanel_jsonapi_user: other.user }),
    ).rejects.toEqual(new WhmError('cpanel', bridgeReasons.invalidUser));
    const answer = await client.call('cpanel', { ...params, cpanel_jsonapi_user: own.user });
    expect(answer.result.status).toBe(1);
  });

  it('when api.version is left out, then the bridge still answers the same way', async () => {
    const enrolled = account((a) => a.tfa && !a.reseller);
    const query = `cpanel_jsonapi_apiversion=3&cpanel_jsonapi_user=${enrolled.user}&cpanel_jsonapi_module=TwoFactorAuth&cpanel_jsonapi_func=get_user_configuration`;
    const answer = await t.raw(`/json-api/cpanel?${query}`);
    expect(answer.json).toMatchObject({
      apiversion: 3,
      result: { status: 1, data: { is_enabled: 1 } },
    });
  });

  it('when cpanel_jsonapi_apiversion is not 3, then the bridge refuses rather than guess at API 2', async () => {
    const enrolled = account((a) => a.tfa && !a.reseller);
    const answer = await bridge({
      cpanel_jsonapi_user: enrolled.user,
      cpanel_jsonapi_module: 'TwoFactorAuth',
      cpanel_jsonapi_func: 'get_user_configuration',
      cpanel_jsonapi_apiversion: '2',
    });
    expect(answer.json).toEqual(refusal(bridgeReasons.unsupportedApiVersion('2')));
  });

  it('when asked through /xml-api/cpanel, then the same answer comes as XML', async () => {
    const enrolled = account((a) => a.tfa && !a.reseller);
    const query = `api.version=1&cpanel_jsonapi_apiversion=3&cpanel_jsonapi_user=${enrolled.user}&cpanel_jsonapi_module=TwoFactorAuth&cpanel_jsonapi_func=get_user_configuration`;
    const answer = await t.raw(`/xml-api/cpanel?${query}`);
    expect(answer.body).toMatch(
      /^<\?xml version="1.0" \?>\n<result><apiversion>3<\/apiversion><func>get_user_configuration<\/func>/,
    );
    expect(answer.body).toContain('<is_enabled>1</is_enabled>');
  });
});
