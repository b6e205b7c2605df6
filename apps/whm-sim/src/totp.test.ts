import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhmError, whmReasons } from '@console/whm-api';
import { oathtoolCode } from './test-support/oathtool.js';
import { referenceDir } from './test-support/reference.js';
import { startTestSimulator, type TestSimulator } from './test-support/simulator.js';
import { generateSecret, isValidTotp, totpCode } from './totp.js';

interface Vectors {
  seeds: { SHA1: { base32: string } };
  totp: { time: number; SHA1: string }[];
}

const vectors = JSON.parse(
  readFileSync(join(referenceDir(), 'rfc6238-vectors.json'), 'utf8'),
) as Vectors;

describe('TOTP', () => {
  it.each(vectors.totp)(
    'when the time is $time s, then the code is the last six digits of RFC 6238 SHA1 $SHA1',
    ({ time, SHA1 }) => {
      expect(totpCode(vectors.seeds.SHA1.base32, time * 1000)).toBe(SHA1.slice(-6));
    },
  );

  it('when a secret is generated, then it is 16 base32 characters and differs each time', () => {
    const secrets = new Set(Array.from({ length: 50 }, () => generateSecret()));
    expect(secrets.size).toBe(50);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Z2-7]{16}$/);
  });

  it('when the secret is lowercase, then it gives the same codes', () => {
    const secret = vectors.seeds.SHA1.base32;
    expect(isValidTotp(secret.toLowerCase(), totpCode(secret, 59_000), 59_000)).toBe(true);
  });

  it('when the code is not six digits or the secret cannot decode, then it is refused', () => {
    expect(isValidTotp('GEZDGNBVGY3TQOJQ', '12345', 0)).toBe(false);
    expect(isValidTotp('GEZDGNBVGY3TQOJQ', '1234567', 0)).toBe(false);
    expect(isValidTotp('A', '000000', 0)).toBe(false);
  });
});

describe('enrolling the caller with a clock', () => {
  const start = 1_700_000_015_000;
  let now = start;
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator({ clock: () => now });
  });
  afterAll(() => t.sim.close());

  async function enrollWithCodeAt(offsetSteps: number): Promise<unknown> {
    const { secret } = await t.root.call('twofactorauth_generate_tfa_config', {});
    const tfa_token = totpCode(secret, now + offsetSteps * 30_000);
    return t.root.call('twofactorauth_set_tfa_config', { secret, tfa_token });
  }

  it.each([-1, 0, 1])(
    'when the code is for step %i from now, then set_tfa_config accepts it',
    async (offset) => {
      now = start;
      await expect(enrollWithCodeAt(offset)).resolves.toEqual({ success: 1 });
    },
  );

  it.each([-2, 2])(
    'when the code is for step %i from now, then set_tfa_config refuses it',
    async (offset) => {
      now = start;
      await expect(enrollWithCodeAt(offset)).rejects.toEqual(
        new WhmError('twofactorauth_set_tfa_config', whmReasons.invalidSecurityCode),
      );
    },
  );

  it('when the clock sits on the last millisecond of a step, then the next step still counts', async () => {
    now = Math.floor(start / 30_000) * 30_000 + 29_999;
    await expect(enrollWithCodeAt(1)).resolves.toEqual({ success: 1 });
    now = start;
  });
});

describe('an independent TOTP implementation', () => {
  let t: TestSimulator;
  beforeAll(async () => {
    t = await startTestSimulator();
  });
  afterAll(() => t.sim.close());

  it('when root enrolls with a code oathtool computed from the generated secret, then WHM stores it', async () => {
    const { secret, otpauth_str } = await t.root.call('twofactorauth_generate_tfa_config', {});
    expect(otpauth_str).toContain(`secret=${secret}`);
    const tfa_token = oathtoolCode(secret);
    expect(tfa_token).toMatch(/^\d{6}$/);
    await expect(
      t.root.call('twofactorauth_set_tfa_config', { secret, tfa_token }),
    ).resolves.toEqual({ success: 1 });
    expect(t.sim.secretOf('root')).toBe(secret);
    const before = totpCode(secret, Date.now());
    const independent = oathtoolCode(secret);
    expect([before, totpCode(secret, Date.now())]).toContain(independent);
  });
});
