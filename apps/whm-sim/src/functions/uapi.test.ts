import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GENERATED_SECRET_PATTERN,
  WhmError,
  formatOtpauthUri,
  whmReasons,
  type ParamsOf,
} from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';
import { xidReason } from '../test-support/xid.js';
import { totpCode } from '../totp.js';

const NOW = 1_760_000_000_000;
let t: TestSimulator;
beforeEach(async () => {
  t = await startTestSimulator({ accounts: 40, clock: () => NOW });
});
afterEach(() => t.sim.close());

type UapiParams = ParamsOf<'uapi_cpanel'>;

function uapi(user: string, fn: UapiParams['cpanel.function'], extra: Partial<UapiParams> = {}) {
  return t.root.call('uapi_cpanel', {
    'cpanel.user': user,
    'cpanel.module': 'TwoFactorAuth',
    'cpanel.function': fn,
    ...extra,
  });
}

function account(predicate: (a: ReturnType<TestSimulator['sim']['accounts']>[number]) => boolean) {
  const found = t.sim.accounts().find(predicate);
  if (!found) throw new Error('the seed has no such account');
  return found;
}

describe('uapi_cpanel TwoFactorAuth', () => {
  it('when an account is enrolled, then get_user_configuration says so with its issuer', async () => {
    const enrolled = account((a) => a.tfa && a.owner === 'root' && !a.reseller);
    await expect(uapi(enrolled.user, 'get_user_configuration')).resolves.toEqual({
      uapi: {
        status: 1,
        data: { is_enabled: 1, issuer: 'whm.example.test' },
        errors: null,
        messages: null,
        warnings: null,
        metadata: {},
      },
    });
    const plain = account((a) => !a.tfa && a.plan !== 'starter');
    const answer = await uapi(plain.user, 'get_user_configuration');
    expect(answer.uapi.data).toEqual({ is_enabled: 0 });
  });

  it('when an account is enrolled through generate and set, then its secret is stored', async () => {
    const plain = account((a) => !a.tfa && a.plan !== 'starter' && !a.reseller);
    const generated = await uapi(plain.user, 'generate_user_configuration');
    const { secret, otpauth_str } = generated.uapi.data as { secret: string; otpauth_str: string };
    expect(secret).toMatch(GENERATED_SECRET_PATTERN);
    expect(otpauth_str).toBe(formatOtpauthUri('whm.example.test', plain.user, secret));
    expect(t.sim.secretOf(plain.user)).toBeUndefined();

    const set = await uapi(plain.user, 'set_user_configuration', {
      secret,
      tfa_token: totpCode(secret, NOW),
    });
    expect(set.uapi).toMatchObject({ status: 1, data: { tfa_configured: 1 }, errors: null });
    expect(t.sim.secretOf(plain.user)).toBe(secret);
  });

  it('when the account’s owner has an issuer, then the account’s otpauth URI uses it', async () => {
    const a = t.reseller(0);
    await a.client.call('twofactorauth_set_issuer', { issuer: 'Brand' });
    const owned = account((x) => x.owner === a.user && x.plan !== 'starter');
    const generated = await uapi(owned.user, 'generate_user_configuration');
    const { secret, otpauth_str } = generated.uapi.data as { secret: string; otpauth_str: string };
    expect(otpauth_str).toBe(formatOtpauthUri('Brand', owned.user, secret));
  });

  it('when the code or the secret is wrong, then UAPI fails with WHM’s texts and stores nothing', async () => {
    const plain = account((a) => !a.tfa && a.plan !== 'starter' && !a.reseller);
    const secret = 'JBSWY3DPEHPK3PXP';
    const wrong = String((Number(totpCode(secret, NOW)) + 1) % 1_000_000).padStart(6, '0');
    const badCode = await uapi(plain.user, 'set_user_configuration', { secret, tfa_token: wrong });
    expect(badCode.uapi).toMatchObject({
      status: 0,
      errors: [`${whmReasons.uapiSetFailed}${whmReasons.invalidSecurityCode}`],
    });
    const badSecret = await uapi(plain.user, 'set_user_configuration', {
      secret: 'NOT-BASE32',
      tfa_token: '123456',
    });
    expect(badSecret.uapi).toMatchObject({ status: 0 });
    expect(badSecret.uapi.errors?.[0]).toMatch(
      xidReason(whmReasons.uapiSetFailed, whmReasons.invalidSecret),
    );
    expect(t.sim.secretOf(plain.user)).toBeUndefined();
  });

  it('when an enrolled account removes its configuration, then the secret is gone', async () => {
    const enrolled = account((a) => a.tfa && !a.reseller);
    const removed = await uapi(enrolled.user, 'remove_user_configuration');
    expect(removed.uapi).toMatchObject({ status: 1, data: { tfa_removed: 1 } });
    expect(t.sim.secretOf(enrolled.user)).toBeUndefined();
  });

  it('when the account’s plan lacks the twofactorauth feature, then every function says so', async () => {
    const starter = account((a) => a.plan === 'starter');
    for (const fn of ['get_user_configuration', 'generate_user_configuration'] as const) {
      const answer = await uapi(starter.user, fn);
      expect(answer.uapi).toMatchObject({
        status: 0,
        data: null,
        errors: [whmReasons.missingFeature('twofactorauth')],
      });
    }
  });

  it('when root names an account that does not exist, then it is an API failure with an XID', async () => {
    const error = await uapi('ghost', 'get_user_configuration').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhmError);
    expect((error as WhmError).reason).toMatch(
      xidReason(whmReasons.apiFailure, whmReasons.userNotFound('ghost')),
    );
  });

  it('when root names root, then the switch to the account refuses it, with a stack trace and no XID', async () => {
    const error = await uapi('root', 'get_user_configuration').catch((e: unknown) => e);
    const reason = (error as WhmError).reason;
    expect(reason.startsWith(`${whmReasons.apiFailure}${whmReasons.doAsRoot} at `)).toBe(true);
    expect(reason).toContain('\tCpanel::AccessIds::do_as_user_group(');
    expect(reason).not.toMatch(/\(XID /);
  });

  it('when a reseller runs UAPI as another reseller’s account or root, then it is an API failure', async () => {
    const a = t.reseller(0);
    const b = t.reseller(1);
    const foreign = account((x) => x.owner === b.user);
    for (const user of [foreign.user, 'root', 'ghost']) {
      const error = await a.client
        .call('uapi_cpanel', {
          'cpanel.user': user,
          'cpanel.module': 'TwoFactorAuth',
          'cpanel.function': 'remove_user_configuration',
        })
        .catch((e: unknown) => e);
      expect((error as WhmError).reason).toMatch(
        xidReason(whmReasons.apiFailure, whmReasons.noAccess(user)),
      );
    }
    const own = account((x) => x.owner === a.user && x.plan !== 'starter');
    const answer = await a.client.call('uapi_cpanel', {
      'cpanel.user': own.user,
      'cpanel.module': 'TwoFactorAuth',
      'cpanel.function': 'get_user_configuration',
    });
    expect(answer.uapi.status).toBe(1);
  });

  it('when a cpanel.* parameter is missing or empty, then the first one in order is named', async () => {
    const sub = 'Whostmgr::API::1::Cpanel::uapi_cpanel';
    const reasonOf = async (query: string) =>
      (
        (await t.raw(`/json-api/uapi_cpanel?api.version=1&${query}`)).json as {
          metadata: { reason: string };
        }
      ).metadata.reason;
    expect(await reasonOf('cpanel.function=x')).toMatch(
      xidReason(whmReasons.apiFailure, whmReasons.missingParameter('cpanel.user', sub)),
    );
    expect(await reasonOf('cpanel.user=&cpanel.function=x')).toMatch(
      xidReason(whmReasons.apiFailure, whmReasons.emptyParameter('cpanel.user')),
    );
    expect(await reasonOf('cpanel.user=ghost&cpanel.function=x')).toMatch(
      xidReason(whmReasons.apiFailure, whmReasons.missingParameter('cpanel.module', sub)),
    );
    expect(
      await reasonOf('cpanel.user=ghost&cpanel.module=TwoFactorAuth&cpanel.function='),
    ).toMatch(xidReason(whmReasons.apiFailure, whmReasons.emptyParameter('cpanel.function')));
  });

  it('when UAPI runs, then it checks the function name, the module, the feature, then the function', async () => {
    const user = account((a) => a.plan !== 'starter' && !a.reseller).user;
    const starter = account((a) => a.plan === 'starter').user;
    const errorsOf = async (who: string, module: string, fn: string) => {
      const response = await t.raw(
        `/json-api/uapi_cpanel?api.version=1&cpanel.user=${who}&cpanel.module=${module}&cpanel.function=${encodeURIComponent(fn)}`,
      );
      expect(response.json).toMatchObject({
        metadata: { result: 1 },
        data: { uapi: { status: 0 } },
      });
      return (response.json as { data: { uapi: { errors: string[] } } }).data.uapi.errors;
    };
    expect(await errorsOf(user, 'TwoFactorAuth', '_private')).toEqual([
      whmReasons.illegalFunctionName('_private'),
    ]);
    expect(await errorsOf(user, 'Email', 'bad-name')).toEqual([
      whmReasons.illegalFunctionName('bad-name'),
    ]);
    const [noModule] = await errorsOf(user, 'Email', 'list_pops');
    expect(noModule?.startsWith(whmReasons.moduleLoadFailed('Email'))).toBe(true);
    expect(await errorsOf(starter, 'TwoFactorAuth', 'nope')).toEqual([
      whmReasons.missingFeature('twofactorauth'),
    ]);
    expect(await errorsOf(user, 'TwoFactorAuth', 'nope')).toEqual([
      whmReasons.functionNotFound('nope', 'TwoFactorAuth'),
    ]);
  });
});
