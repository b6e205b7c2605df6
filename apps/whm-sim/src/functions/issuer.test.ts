import { afterAll, beforeEach, describe, expect, it } from 'vitest';
import { formatOtpauthUri, whmReasons } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';
import { xidReason } from '../test-support/xid.js';

const invalidIssuer = xidReason(whmReasons.setIssuerFailed, whmReasons.invalidIssuer);

const HOSTNAME = 'whm.example.test';
let t: TestSimulator;
beforeEach(async () => {
  await t?.sim.close();
  t = await startTestSimulator();
});
afterAll(() => t.sim.close());

describe('twofactorauth issuer', () => {
  it('when no issuer was set, then root gets the hostname for both values', async () => {
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: HOSTNAME,
      system_wide_issuer: HOSTNAME,
    });
  });

  it('when root sets a quoted issuer, then one quote each side is stripped and it is system-wide', async () => {
    await t.root.call('twofactorauth_set_issuer', { issuer: `"Example Hosting"` });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: 'Example Hosting',
      system_wide_issuer: 'Example Hosting',
    });
    await t.root.call('twofactorauth_set_issuer', { issuer: `'Acme_1.0-x'` });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toMatchObject({
      issuer: 'Acme_1.0-x',
    });
  });

  it.each([
    ['33 characters', 'a'.repeat(33)],
    ['a colon', 'Acme:Hosting'],
    ['an at sign', 'admin@acme'],
    ['two quotes each side', `''Acme''`],
  ])('when the issuer has %s, then WHM refuses it and keeps the old one', async (_, issuer) => {
    await t.root.call('twofactorauth_set_issuer', { issuer: 'Kept' });
    const response = await t.raw(
      `/json-api/twofactorauth_set_issuer?api.version=1&issuer=${encodeURIComponent(issuer)}`,
    );
    expect(response.json).toEqual({
      metadata: {
        command: 'twofactorauth_set_issuer',
        reason: expect.stringMatching(invalidIssuer) as unknown,
        result: 0,
        version: 1,
      },
    });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toMatchObject({
      issuer: 'Kept',
    });
  });

  it('when the issuer is exactly 32 characters, then it is accepted', async () => {
    await t.root.call('twofactorauth_set_issuer', { issuer: 'b'.repeat(32) });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toMatchObject({
      issuer: 'b'.repeat(32),
    });
  });

  it.each([
    ['empty', { issuer: '' }],
    ['only quotes', { issuer: `""` }],
    ['missing', {}],
  ])('when the issuer is %s, then it resets to the hostname and succeeds', async (_, params) => {
    await t.root.call('twofactorauth_set_issuer', { issuer: 'Temporary' });
    await t.root.call('twofactorauth_set_issuer', params);
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: HOSTNAME,
      system_wide_issuer: HOSTNAME,
    });
  });

  it('when a reseller has no issuer, then it gets the system-wide one; when it sets one, only it changes', async () => {
    const { client, user } = t.reseller(0);
    await t.root.call('twofactorauth_set_issuer', { issuer: 'Server Wide' });
    await expect(client.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: 'Server Wide',
      system_wide_issuer: 'Server Wide',
    });

    await client.call('twofactorauth_set_issuer', { issuer: 'Reseller Brand' });
    await expect(client.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: 'Reseller Brand',
      system_wide_issuer: 'Server Wide',
    });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: 'Server Wide',
      system_wide_issuer: 'Server Wide',
    });
    const { otpauth_str, secret } = await client.call('twofactorauth_generate_tfa_config', {});
    expect(otpauth_str).toBe(formatOtpauthUri('Reseller Brand', user, secret));

    const other = t.reseller(1);
    await expect(other.client.call('twofactorauth_get_issuer', {})).resolves.toMatchObject({
      issuer: 'Server Wide',
    });
  });

  it('when a reseller sets an invalid issuer, then it gets the same failure as root', async () => {
    const { client } = t.reseller(0);
    await expect(
      client.call('twofactorauth_set_issuer', { issuer: 'x'.repeat(40) }),
    ).rejects.toMatchObject({ reason: expect.stringMatching(invalidIssuer) as unknown });
  });

  it('when the issuer ends in one newline, then Perl’s $ lets it pass and it is stored with it', async () => {
    const set = (issuer: string) =>
      t.raw(
        `/json-api/twofactorauth_set_issuer?api.version=1&issuer=${encodeURIComponent(issuer)}`,
      );
    await set(`${'b'.repeat(32)}\n`);
    expect(await t.root.call('twofactorauth_get_issuer', {})).toMatchObject({
      issuer: `${'b'.repeat(32)}\n`,
    });
    await set(`"Acme"\n`);
    expect(await t.root.call('twofactorauth_get_issuer', {})).toMatchObject({ issuer: 'Acme\n' });
    const twoNewlines = await set('Acme\n\n');
    expect(twoNewlines.json).toMatchObject({ metadata: { result: 0 } });
  });

  it('when the issuer is 0, then it is stored but reads back as unset', async () => {
    const { client } = t.reseller(0);
    await t.root.call('twofactorauth_set_issuer', { issuer: 'Server Wide' });
    await expect(
      client.callWithMetadata('twofactorauth_set_issuer', { issuer: '0' }),
    ).resolves.toMatchObject({ metadata: { result: 1 } });
    await expect(client.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: 'Server Wide',
      system_wide_issuer: 'Server Wide',
    });
    await t.root.call('twofactorauth_set_issuer', { issuer: '0' });
    await expect(t.root.call('twofactorauth_get_issuer', {})).resolves.toEqual({
      issuer: HOSTNAME,
      system_wide_issuer: HOSTNAME,
    });
  });
});
