import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WhmError, whmReasons, type ParamsOf } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';

let t: TestSimulator;
beforeEach(async () => {
  t = await startTestSimulator({ accounts: 40 });
});
afterEach(() => t.sim.close());

const remove = 'twofactorauth_remove_user_config';

function ownedBy(owner: string) {
  return t.sim.accounts().filter((acct) => acct.owner === owner && !acct.reseller);
}

describe('twofactorauth_get_user_configs', () => {
  it('when root asks, then every account and root are listed, is_enabled meaning a secret exists', async () => {
    const configs = await t.root.call('twofactorauth_get_user_configs', {});
    const accounts = t.sim.accounts();
    expect(Object.keys(configs).sort()).toEqual(['root', ...accounts.map((a) => a.user)].sort());
    expect(configs.root).toEqual({ is_enabled: 0, primary_domain: 'whm.example.test' });
    for (const acct of accounts) {
      expect(configs[acct.user]).toEqual({
        is_enabled: acct.tfa ? 1 : 0,
        primary_domain: acct.domain,
      });
    }
    expect(accounts.some((a) => a.tfa)).toBe(true);
    expect(accounts.some((a) => !a.tfa)).toBe(true);
  });

  it('when the policy is off, then enrolled accounts still show is_enabled 1', async () => {
    await t.root.call('twofactorauth_disable_policy', {});
    const enrolled = t.sim.accounts().find((a) => a.tfa);
    if (!enrolled) throw new Error('the seed has no enrolled account');
    const configs = await t.root.call('twofactorauth_get_user_configs', { user: enrolled.user });
    expect(configs).toEqual({
      [enrolled.user]: { is_enabled: 1, primary_domain: enrolled.domain },
    });
  });

  it('when the user does not exist, then WHM says the caller has no access to it', async () => {
    await expect(
      t.root.call('twofactorauth_get_user_configs', { user: 'nosuchuser' }),
    ).rejects.toEqual(
      new WhmError('twofactorauth_get_user_configs', whmReasons.noAccess('nosuchuser')),
    );
  });

  it('when the user name is malformed, then the answer is the same no-access failure', async () => {
    const response = await t.raw(
      '/json-api/twofactorauth_get_user_configs?api.version=1&user=Bad%21',
    );
    expect(response.json).toMatchObject({
      metadata: { result: 0, reason: whmReasons.noAccess('Bad!') },
    });
  });

  it('when a reseller asks, then it sees only itself and its own accounts', async () => {
    const a = t.reseller(0);
    const b = t.reseller(1);
    const configs = await a.client.call('twofactorauth_get_user_configs', {});
    const expected = [a.user, ...ownedBy(a.user).map((acct) => acct.user)].sort();
    expect(Object.keys(configs).sort()).toEqual(expected);
    expect(configs.root).toBeUndefined();

    const foreign = ownedBy(b.user)[0];
    if (!foreign) throw new Error('reseller B owns nothing');
    await expect(
      a.client.call('twofactorauth_get_user_configs', { user: foreign.user }),
    ).rejects.toEqual(
      new WhmError('twofactorauth_get_user_configs', whmReasons.noAccess(foreign.user)),
    );
  });
});

describe('twofactorauth_remove_user_config', () => {
  it('when root removes an enrolled and a never-enrolled account, then both are in users_modified', async () => {
    const enrolled = t.sim.accounts().find((a) => a.tfa && !a.reseller);
    const plain = t.sim.accounts().find((a) => !a.tfa && !a.reseller);
    if (!enrolled || !plain) throw new Error('the seed lacks an enrolled or a plain account');
    const answer = await t.root.callWithMetadata(remove, { user: [enrolled.user, plain.user] });
    expect(answer.metadata.result).toBe(1);
    expect(answer.data).toEqual({ users_modified: [enrolled.user, plain.user], failed: {} });
    expect(t.sim.secretOf(enrolled.user)).toBeUndefined();
  });

  it('when some users cannot be modified, then they are in failed and result stays 1', async () => {
    const enrolled = t.sim.accounts().find((a) => a.tfa && !a.reseller);
    if (!enrolled) throw new Error('the seed has no enrolled account');
    const answer = await t.root.callWithMetadata(remove, {
      user: [enrolled.user, 'ghost', 'phantom'],
    });
    expect(answer.metadata).toMatchObject({ result: 1, reason: 'OK' });
    expect(answer.data).toEqual({
      users_modified: [enrolled.user],
      failed: {
        ghost: whmReasons.notAuthorizedToModify('ghost'),
        phantom: whmReasons.notAuthorizedToModify('phantom'),
      },
    });
  });

  it('when users come as user, user-1, user-2 on the wire, then each is removed', async () => {
    const users = t.sim
      .accounts()
      .filter((a) => a.tfa)
      .slice(0, 3)
      .map((a) => a.user);
    const form = new URLSearchParams({ 'api.version': '1' });
    users.forEach((user, i) => form.append(i === 0 ? 'user' : `user-${i}`, user));
    const response = await t.raw(`/json-api/${remove}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: form.toString(),
    });
    expect(response.json).toMatchObject({ data: { users_modified: users, failed: {} } });
    for (const user of users) expect(t.sim.secretOf(user)).toBeUndefined();
  });

  it('when user is repeated (user=a&user=b), then the parser renames the second user-0 and both are removed', async () => {
    const [a, b, c] = t.sim
      .accounts()
      .filter((acct) => acct.tfa)
      .map((acct) => acct.user);
    if (!a || !b || !c) throw new Error('the seed has too few enrolled accounts');
    const response = await t.raw(`/json-api/${remove}?api.version=1&user=${a}&user=${b}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: `user=${c}`,
    });
    expect(response.json).toMatchObject({ metadata: { result: 1 }, data: { failed: {} } });
    const modified = (response.json as { data: { users_modified: string[] } }).data.users_modified;
    expect([...modified].sort()).toEqual([a, b, c].sort());
    for (const user of [a, b, c]) expect(t.sim.secretOf(user)).toBeUndefined();
  });

  it('when an explicit user-0 follows a repeated user, then the later value wins as on WHM', async () => {
    const [a, b, c] = t.sim
      .accounts()
      .filter((acct) => acct.tfa)
      .map((acct) => acct.user);
    if (!a || !b || !c) throw new Error('the seed has too few enrolled accounts');
    const response = await t.raw(
      `/json-api/${remove}?api.version=1&user=${a}&user=${b}&user-0=${c}`,
    );
    const modified = (response.json as { data: { users_modified: string[] } }).data.users_modified;
    expect([...modified].sort()).toEqual([a, c].sort());
    expect(t.sim.secretOf(b)).toBeDefined();
  });

  it('when user is sent empty, then it counts: result 1 with a failed entry under ""', async () => {
    const response = await t.raw(`/json-api/${remove}?api.version=1&user=`);
    expect(response.json).toMatchObject({
      metadata: { result: 1 },
      data: { users_modified: [], failed: { '': whmReasons.notAuthorizedToModify('') } },
    });
  });

  it('when users come as user-N with more than four digits, then they count too', async () => {
    const [a] = t.sim
      .accounts()
      .filter((acct) => acct.tfa)
      .map((acct) => acct.user);
    const response = await t.raw(`/json-api/${remove}?api.version=1&user-123456=${a}`);
    expect(response.json).toMatchObject({ data: { users_modified: [a], failed: {} } });
  });

  it('when a user name is malformed, then it fails for that user only', async () => {
    const response = await t.raw(`/json-api/${remove}?api.version=1&user=Bad%21&user-1=root`);
    expect(response.json).toMatchObject({
      metadata: { result: 1 },
      data: {
        users_modified: ['root'],
        failed: { 'Bad!': whmReasons.notAuthorizedToModify('Bad!') },
      },
    });
  });

  it('when root removes its own 2FA, then root is modified', async () => {
    await expect(t.root.call(remove, { user: 'root' })).resolves.toEqual({
      users_modified: ['root'],
      failed: {},
    });
  });

  it('when no user is given, then WHM says no users were specified', async () => {
    await expect(t.root.call(remove, {} as unknown as ParamsOf<typeof remove>)).rejects.toEqual(
      new WhmError(remove, whmReasons.noUsersSpecified),
    );
  });

  it('when reseller A removes B’s account, then it fails for that user and B’s secret stays', async () => {
    const a = t.reseller(0);
    const b = t.reseller(1);
    const foreign = ownedBy(b.user).find((acct) => acct.tfa) ?? ownedBy(b.user)[0];
    const own = ownedBy(a.user)[0];
    if (!foreign || !own) throw new Error('the resellers own too little');
    const secretBefore = t.sim.secretOf(foreign.user);
    await expect(a.client.call(remove, { user: [own.user, foreign.user] })).resolves.toEqual({
      users_modified: [own.user],
      failed: { [foreign.user]: whmReasons.notAuthorizedToModify(foreign.user) },
    });
    expect(t.sim.secretOf(foreign.user)).toBe(secretBefore);
  });

  it('when a reseller removes root, then it fails for root', async () => {
    const a = t.reseller(0);
    await expect(a.client.call(remove, { user: 'root' })).resolves.toEqual({
      users_modified: [],
      failed: { root: whmReasons.notAuthorizedToModify('root') },
    });
  });
});

describe('raw secrets for one user', () => {
  it('when root reads an enrolled account, then it gets the primary secret', async () => {
    const enrolled = t.sim.accounts().find((a) => a.tfa);
    if (!enrolled) throw new Error('the seed has no enrolled account');
    await expect(
      t.root.call('twofactorauth_get_tfa_config_for_user', { user: enrolled.user }),
    ).resolves.toEqual({
      [enrolled.user]: { primary_account: { secret: t.sim.secretOf(enrolled.user) } },
    });
  });

  it('when root reads an unknown account, then WHM says the user is invalid', async () => {
    await expect(
      t.root.call('twofactorauth_get_tfa_config_for_user', { user: 'ghost' }),
    ).rejects.toEqual(
      new WhmError('twofactorauth_get_tfa_config_for_user', whmReasons.invalidUser('ghost')),
    );
  });

  it('when the user name is malformed, then WHM says the user is invalid', async () => {
    const response = await t.raw(
      '/json-api/twofactorauth_get_tfa_config_for_user?api.version=1&user=..%2F',
    );
    expect(response.json).toMatchObject({
      metadata: { result: 0, reason: whmReasons.invalidUser('../') },
    });
  });

  it('when the user is missing, then WHM names the parameter', async () => {
    await expect(
      t.root.call(
        'twofactorauth_get_tfa_config_for_user',
        {} as unknown as ParamsOf<'twofactorauth_get_tfa_config_for_user'>,
      ),
    ).rejects.toEqual(
      new WhmError('twofactorauth_get_tfa_config_for_user', whmReasons.missingParameter('user')),
    );
  });

  it('when a reseller asks for raw secrets, then WHM refuses', async () => {
    const a = t.reseller(0);
    await expect(
      a.client.call('twofactorauth_get_tfa_config_for_user', { user: a.user }),
    ).rejects.toBeInstanceOf(WhmError);
  });

  it('when root replaces an account’s entries with JSON, then they are stored without a code check', async () => {
    const target = t.sim.accounts().find((a) => !a.tfa && !a.reseller);
    if (!target) throw new Error('the seed has no plain account');
    const config = {
      [target.user]: {
        primary_account: { secret: 'JBSWY3DPEHPK3PXP' },
        email: { [`info@${target.domain}`]: { secret: 'MFRGGZDFMZTWQ2LK' } },
      },
    };
    const answer = await t.root.callWithMetadata('twofactorauth_set_tfa_config_for_user', {
      config,
    });
    expect(answer.metadata.result).toBe(1);
    expect(t.sim.secretOf(target.user)).toBe('JBSWY3DPEHPK3PXP');
    await expect(
      t.root.call('twofactorauth_get_tfa_config_for_user', { user: target.user }),
    ).resolves.toEqual(config);

    await t.root.call('twofactorauth_set_tfa_config_for_user', { config: { [target.user]: {} } });
    expect(t.sim.secretOf(target.user)).toBeUndefined();
  });

  it('when the JSON names an unknown account or a bad secret, then nothing changes', async () => {
    await expect(
      t.root.call('twofactorauth_set_tfa_config_for_user', {
        config: { ghost: { primary_account: { secret: 'JBSWY3DPEHPK3PXP' } } },
      }),
    ).rejects.toEqual(
      new WhmError('twofactorauth_set_tfa_config_for_user', whmReasons.invalidUser('ghost')),
    );
    const target = t.sim.accounts().find((a) => !a.tfa && !a.reseller);
    if (!target) throw new Error('the seed has no plain account');
    await expect(
      t.root.call('twofactorauth_set_tfa_config_for_user', {
        config: { [target.user]: { primary_account: { secret: 'not base32!' } } },
      }),
    ).rejects.toEqual(
      new WhmError('twofactorauth_set_tfa_config_for_user', whmReasons.invalidSecret),
    );
    expect(t.sim.secretOf(target.user)).toBeUndefined();
  });

  it('when the body is not JSON, then WHM fails the call', async () => {
    const response = await t.raw('/json-api/twofactorauth_set_tfa_config_for_user?api.version=1', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: '{not json',
    });
    expect(response.json).toMatchObject({ metadata: { result: 0 } });
  });
});
