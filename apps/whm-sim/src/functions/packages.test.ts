import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { featureAvailable, featureListReasons, WhmError, whmReasons } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';

let t: TestSimulator;
beforeEach(async () => {
  t = await startTestSimulator({ accounts: 40 });
});
afterEach(() => t.sim.close());

async function twoFactorOn(featurelist: string): Promise<boolean> {
  const { features } = await t.root.call('get_featurelist_data', { featurelist });
  return featureAvailable(features.find((row) => row.id === 'twofactorauth'));
}

describe('listpkgs', () => {
  it('when root lists packages, then every package comes sorted with its FEATURELIST, default included', async () => {
    const answer = await t.raw('/json-api/listpkgs?api.version=1');
    expect(answer.json).toMatchObject({ metadata: { command: 'listpkgs', result: 1 } });
    const { pkg } = await t.root.call('listpkgs', {});
    const names = pkg.map((p) => p.name);
    expect(names).toEqual([...names].sort());
    expect(names).toContain('default');
    const plans = new Set(t.sim.accounts().map((a) => a.plan));
    for (const plan of plans) expect(names).toContain(plan);
    expect(pkg.find((p) => p.name === 'starter')?.FEATURELIST).toBe('starter');
    expect(pkg.find((p) => p.name === 'default')?.FEATURELIST).toBe('default');
  });
});

describe('get_featurelist_data', () => {
  it('when a list turns twofactorauth off, then its row says value 0; default leaves it on', async () => {
    const { featurelist, features } = await t.root.call('get_featurelist_data', {
      featurelist: 'starter',
    });
    expect(featurelist).toBe('starter');
    expect(features.find((row) => row.id === 'twofactorauth')).toEqual({
      id: 'twofactorauth',
      is_disabled: 0,
      value: '0',
    });
    expect(await twoFactorOn('default')).toBe(true);
    expect(await twoFactorOn('basic')).toBe(true);
  });

  it('when the disabled list names a feature, then every other list reports it is_disabled', async () => {
    const rows = (await t.root.call('get_featurelist_data', { featurelist: 'default' })).features;
    expect(rows.find((row) => row.id === 'boxtrapper')).toMatchObject({
      is_disabled: 1,
      value: '1',
    });
    const own = (await t.root.call('get_featurelist_data', { featurelist: 'disabled' })).features;
    expect(own.find((row) => row.id === 'boxtrapper')).toMatchObject({
      is_disabled: 0,
      value: '0',
    });
  });

  it('when the name is missing, unknown or another reseller’s, then WHM says so', async () => {
    const empty = await t.raw('/json-api/get_featurelist_data?api.version=1&featurelist=');
    expect(empty.json).toMatchObject({
      metadata: { result: 0, reason: featureListReasons.noName },
    });
    await expect(t.root.call('get_featurelist_data', { featurelist: 'nope' })).rejects.toEqual(
      new WhmError('get_featurelist_data', featureListReasons.notFound('nope')),
    );
    const { client } = t.reseller(0);
    await expect(client.call('get_featurelist_data', { featurelist: 'starter' })).rejects.toEqual(
      new WhmError('get_featurelist_data', featureListReasons.noAccess('starter')),
    );
  });
});

describe('the feature decides UAPI TwoFactorAuth', () => {
  const get = (user: string) =>
    t.root.call('uapi_cpanel', {
      'cpanel.user': user,
      'cpanel.module': 'TwoFactorAuth',
      'cpanel.function': 'get_user_configuration',
    });

  it('when a package’s feature list is changed, then its accounts gain or lose TwoFactorAuth', async () => {
    const basic = t.sim.accounts().find((a) => a.plan === 'basic' && !a.reseller)!;
    const starter = t.sim.accounts().find((a) => a.plan === 'starter')!;
    expect([basic.tfaFeature, starter.tfaFeature]).toEqual([true, false]);
    expect((await get(basic.user)).uapi.status).toBe(1);

    t.sim.setFeatureList('basic', { twofactorauth: '0' });
    t.sim.setFeatureList('starter', {});
    expect((await get(basic.user)).uapi).toMatchObject({
      status: 0,
      errors: [whmReasons.missingFeature('twofactorauth')],
    });
    expect((await get(starter.user)).uapi.status).toBe(1);
    expect(await twoFactorOn('basic')).toBe(false);
  });

  it('when the disabled list turns twofactorauth off, then no account has it, whatever its own list says', async () => {
    const basic = t.sim.accounts().find((a) => a.plan === 'basic' && !a.reseller)!;
    t.sim.setFeatureList('disabled', { twofactorauth: '0' });
    expect((await get(basic.user)).uapi.status).toBe(0);
    expect(t.sim.accounts().every((a) => !a.tfaFeature)).toBe(true);
    expect(await twoFactorOn('basic')).toBe(false);
  });
});
