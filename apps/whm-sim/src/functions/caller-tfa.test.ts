import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GENERATED_SECRET_PATTERN, WhmError, formatOtpauthUri, whmReasons } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';
import { xidReason } from '../test-support/xid.js';
import { totpCode } from '../totp.js';

const NOW = 1_750_000_000_000;
let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator({ clock: () => NOW });
});
afterAll(() => t.sim.close());

const setTfa = 'twofactorauth_set_tfa_config';

describe('twofactorauth_generate_tfa_config', () => {
  it('when root generates, then it gets a fresh 16-character secret and an otpauth URI, and nothing is stored', async () => {
    const first = await t.root.call('twofactorauth_generate_tfa_config', {});
    const second = await t.root.call('twofactorauth_generate_tfa_config', {});
    expect(first.secret).toMatch(GENERATED_SECRET_PATTERN);
    expect(first.secret).not.toBe(second.secret);
    expect(first.otpauth_str).toBe(formatOtpauthUri('whm.example.test', 'root', first.secret));
    expect(first.otpauth_str).toBe(
      `otpauth://totp/whm.example.test:root?secret=${first.secret}&issuer=whm.example.test`,
    );
    expect(t.sim.secretOf('root')).toBeUndefined();
  });

  it('when the issuer has a space, then the otpauth URI encodes it', async () => {
    await t.root.call('twofactorauth_set_issuer', { issuer: 'Acme Hosting' });
    const { otpauth_str, secret } = await t.root.call('twofactorauth_generate_tfa_config', {});
    expect(otpauth_str).toBe(
      `otpauth://totp/Acme%20Hosting:root?secret=${secret}&issuer=Acme%20Hosting`,
    );
    await t.root.call('twofactorauth_set_issuer', {});
  });
});

describe('twofactorauth_set_tfa_config', () => {
  it('when root sends a secret and its current code, then root is enrolled with that secret', async () => {
    const { secret } = await t.root.call('twofactorauth_generate_tfa_config', {});
    await expect(
      t.root.call(setTfa, { secret, tfa_token: totpCode(secret, NOW) }),
    ).resolves.toEqual({ success: 1 });
    expect(t.sim.secretOf('root')).toBe(secret);
    const configs = await t.root.call('twofactorauth_get_user_configs', { user: 'root' });
    expect(configs.root?.is_enabled).toBe(1);
  });

  it('when root enrolls again, then the new secret overwrites the old one', async () => {
    const secret = 'JBSWY3DPEHPK3PXP';
    await t.root.call(setTfa, { secret, tfa_token: totpCode(secret, NOW) });
    expect(t.sim.secretOf('root')).toBe(secret);
  });

  it('when the secret is lowercase base32, then it is accepted', async () => {
    const secret = 'mfrggzdfmztwq2lk';
    await expect(
      t.root.call(setTfa, { secret, tfa_token: totpCode(secret, NOW) }),
    ).resolves.toEqual({ success: 1 });
  });

  it('when a reseller enrolls, then the secret is the reseller’s and root is untouched', async () => {
    const { client, user } = t.reseller(0);
    const rootSecret = t.sim.secretOf('root');
    const { secret, otpauth_str } = await client.call('twofactorauth_generate_tfa_config', {});
    expect(otpauth_str).toContain(`:${user}?`);
    await client.call(setTfa, { secret, tfa_token: totpCode(secret, NOW) });
    expect(t.sim.secretOf(user)).toBe(secret);
    expect(t.sim.secretOf('root')).toBe(rootSecret);
  });

  it.each([
    ['padding', 'JBSWY3DPEHPK3PXP===='],
    ['a digit outside base32', 'JBSWY3DPEHPK3PX1'],
    ['a space', 'JBSWY3DP EHPK3PXP'],
  ])(
    'when the secret has %s, then WHM says the secret is invalid, XID first',
    async (_, secret) => {
      const error = await t.root
        .call(setTfa, { secret, tfa_token: '123456' })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(WhmError);
      expect((error as WhmError).reason).toMatch(xidReason('', whmReasons.invalidSecret));
    },
  );

  it('when the code is wrong or not six digits, then WHM says the security code is invalid', async () => {
    const secret = 'JBSWY3DPEHPK3PXP';
    const good = totpCode(secret, NOW);
    const wrong = String((Number(good) + 1) % 1_000_000).padStart(6, '0');
    for (const tfa_token of [wrong, '12345', 'abcdef']) {
      await expect(t.root.call(setTfa, { secret, tfa_token })).rejects.toEqual(
        new WhmError(setTfa, whmReasons.invalidSecurityCode),
      );
    }
  });

  it.each([
    ['the code is missing', 'secret=JBSWY3DPEHPK3PXP'],
    ['the code is empty', 'secret=JBSWY3DPEHPK3PXP&tfa_token='],
    ['the secret is missing', 'tfa_token=123456'],
    ['the secret is empty', 'secret=&tfa_token=123456'],
    ['both are missing', ''],
  ])('when %s, then the secret check passes and the code check fails', async (_, query) => {
    const response = await t.raw(`/json-api/${setTfa}?api.version=1&${query}`);
    expect(response.json).toEqual({
      metadata: {
        command: setTfa,
        reason: whmReasons.invalidSecurityCode,
        result: 0,
        version: 1,
      },
    });
  });
});
