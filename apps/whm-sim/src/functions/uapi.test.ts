import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  GENERATED_SECRET_PATTERN,
  WhmError,
  formatOtpauthUri,
  whmReasons,
  type ParamsOf,
} from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';
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
    expect(badCode.uapi).toMatchObject({ status: 0, errors: [whmReasons.invalidSecurityCode] });
    const badSecret = await uapi(plain.user, 'set_user_configuration', {
      secret: 'NOT-BASE32',
      tfa_token: '123456',
    });
    expect(badSecret.uapi).toMatchObject({ status: 0, errors: [whmReasons.invalidSecret] });
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

  it('when the account does not exist or is root, then WHM fails the call', async () => {
    await expect(uapi('ghost', 'get_user_configuration')).rejects.toEqual(
      new WhmError('uapi_cpanel', whmReasons.noAccess('ghost')),
    );
    await expect(uapi('root', 'get_user_configuration')).rejects.toEqual(
      new WhmError('uapi_cpanel', whmReasons.noAccess('root')),
    );
  });

  it('when a reseller runs UAPI as another reseller’s account, then WHM fails the call', async () => {
    const a = t.reseller(0);
    const b = t.reseller(1);
    const foreign = account((x) => x.owner === b.user);
    await expect(
      a.client.call('uapi_cpanel', {
        'cpanel.user': foreign.user,
        'cpanel.module': 'TwoFactorAuth',
        'cpanel.function': 'remove_user_configuration',
      }),
    ).rejects.toEqual(new WhmError('uapi_cpanel', whmReasons.noAccess(foreign.user)));
    const own = account((x) => x.owner === a.user && x.plan !== 'starter');
    const answer = await a.client.call('uapi_cpanel', {
      'cpanel.user': own.user,
      'cpanel.module': 'TwoFactorAuth',
      'cpanel.function': 'get_user_configuration',
    });
    expect(answer.uapi.status).toBe(1);
  });

  it('when the module or function is not TwoFactorAuth’s, then the UAPI result fails', async () => {
    const user = account((a) => a.plan !== 'starter' && !a.reseller).user;
    const other = await t.raw(
      `/json-api/uapi_cpanel?api.version=1&cpanel.user=${user}&cpanel.module=Email&cpanel.function=list_pops`,
    );
    expect(other.json).toMatchObject({ metadata: { result: 1 }, data: { uapi: { status: 0 } } });
    const unknownFn = await t.raw(
      `/json-api/uapi_cpanel?api.version=1&cpanel.user=${user}&cpanel.module=TwoFactorAuth&cpanel.function=nope`,
    );
    expect(unknownFn.json).toMatchObject({ data: { uapi: { status: 0 } } });
  });
});
