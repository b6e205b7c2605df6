// One file for the per-user functions (configs, removal, raw secrets): they share one seed and helpers.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { stripXid, WhmError, whmReasons, type ParamsOf } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';
import { xidOf, xidReason } from '../test-support/xid.js';

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

  it('when a reseller asks, then it sees only the accounts it owns, and may still ask for itself', async () => {
    const a = t.reseller(0);
    const b = t.reseller(1);
    const configs = await a.client.call('twofactorauth_get_user_configs', {});
    const expected = ownedBy(a.user)
      .map((acct) => acct.user)
      .sort();
    expect(Object.keys(configs).sort()).toEqual(expected);
    expect(configs.root).toBeUndefined();
    expect(configs[a.user]).toBeUndefined();
    const self = t.sim.accounts().find((acct) => acct.user === a.user);
    await expect(
      a.client.call('twofactorauth_get_user_configs', { user: a.user }),
    ).resolves.toEqual({
      [a.user]: { is_enabled: self?.tfa ? 1 : 0, primary_domain: self?.domain },
    });
    await expect(a.client.call('twofactorauth_get_user_configs', { user: 'root' })).rejects.toEqual(
      new WhmError('twofactorauth_get_user_configs', whmReasons.noAccess('root')),
    );

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
        ghost: expect.stringMatching(
          xidReason(whmReasons.notAuthorizedToModify('ghost'), whmReasons.userNotFound('ghost')),
        ) as unknown,
        phantom: expect.stringMatching(
          xidReason(
            whmReasons.notAuthorizedToModify('phantom'),
            whmReasons.userNotFound('phantom'),
          ),
        ) as unknown,
      },
    });
  });

  it('when the same refusal comes twice, then each carries its own XID', async () => {
    const first = await t.root.call(remove, { user: 'ghost' });
    const second = await t.root.call(remove, { user: 'ghost' });
    const a = xidOf(first.failed.ghost ?? '');
    const b = xidOf(second.failed.ghost ?? '');
    expect(a).toBeDefined();
    expect(b).toBeDefined();
    expect(a).not.toBe(b);
  });

  it('when an account has email and team secrets, then removing it leaves those', async () => {
    const target = t.sim.accounts().find((a) => !a.reseller);
    if (!target) throw new Error('the seed has no plain account');
    const email = `info@${target.domain}`;
    const team = `helper@${target.user}`;
    await t.root.call('twofactorauth_set_tfa_config_for_user', {
      config: {
        [target.user]: {
          primary_account: { secret: 'JBSWY3DPEHPK3PXP' },
          email: { [email]: { secret: 'MFRGGZDFMZTWQ2LK' } },
          team: { [team]: { secret: 'MFRGGZDFMZTWQ2LK' } },
        },
      },
    });
    await t.root.call(remove, { user: target.user });
    await expect(
      t.root.call('twofactorauth_get_tfa_config_for_user', { user: target.user }),
    ).resolves.toEqual({
      [target.user]: {
        email: { [email]: { secret: 'MFRGGZDFMZTWQ2LK' } },
        team: { [team]: { secret: 'MFRGGZDFMZTWQ2LK' } },
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
    expect(response.json).toMatchObject({ metadata: { result: 1 }, data: { users_modified: [] } });
    const failed = (response.json as { data: { failed: Record<string, string> } }).data.failed;
    expect(Object.keys(failed)).toEqual(['']);
    expect(stripXid(failed[''] ?? '')).toBe(
      `${whmReasons.notAuthorizedToModify('')}${whmReasons.userNotFound('')}`,
    );
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
        failed: {
          'Bad!': expect.stringMatching(
            xidReason(whmReasons.notAuthorizedToModify('Bad!'), whmReasons.userNotFound('Bad!')),
          ) as unknown,
        },
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
      failed: {
        [foreign.user]: expect.stringMatching(
          xidReason(
            whmReasons.notAuthorizedToModify(foreign.user),
            whmReasons.noAccess(foreign.user),
          ),
        ) as unknown,
      },
    });
    expect(t.sim.secretOf(foreign.user)).toBe(secretBefore);
  });

  it('when a reseller removes root, then it fails for root', async () => {
    const a = t.reseller(0);
    await expect(a.client.call(remove, { user: 'root' })).resolves.toEqual({
      users_modified: [],
      failed: {
        root: expect.stringMatching(
          xidReason(whmReasons.notAuthorizedToModify('root'), whmReasons.noAccess('root')),
        ) as unknown,
      },
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

  it('when the user is missing or empty, then it is an API failure naming the parameter', async () => {
    const sub = 'Whostmgr::API::1::TwoFactorAuth::twofactorauth_get_tfa_config_for_user';
    const missing = await t.raw('/json-api/twofactorauth_get_tfa_config_for_user?api.version=1');
    expect((missing.json as { metadata: { reason: string } }).metadata.reason).toMatch(
      xidReason(whmReasons.apiFailure, whmReasons.missingParameter('user', sub)),
    );
    const empty = await t.raw(
      '/json-api/twofactorauth_get_tfa_config_for_user?api.version=1&user=',
    );
    expect((empty.json as { metadata: { reason: string } }).metadata.reason).toMatch(
      xidReason(whmReasons.apiFailure, whmReasons.emptyParameter('user')),
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

  it('when the JSON is not one known account with valid entries, then WHM says why and nothing changes', async () => {
    const fn = 'twofactorauth_set_tfa_config_for_user';
    const target = t.sim.accounts().find((a) => !a.tfa && !a.reseller);
    const other = t.sim.accounts().find((a) => a.user !== target?.user && !a.reseller);
    if (!target || !other) throw new Error('the seed has too few plain accounts');
    const refusal = (config: Record<string, unknown>) =>
      t.raw(`/json-api/${fn}?api.version=1`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(config),
      });
    const reasonOf = async (config: Record<string, unknown>) =>
      ((await refusal(config)).json as { metadata: { reason: string } }).metadata.reason;
    const secret = { secret: 'JBSWY3DPEHPK3PXP' };
    expect(await reasonOf({})).toBe(whmReasons.invalidInput);
    expect(await reasonOf({ [target.user]: { primary_account: secret }, [other.user]: {} })).toBe(
      whmReasons.invalidInput,
    );
    expect(await reasonOf({ ghost: { primary_account: secret } })).toBe(
      whmReasons.invalidUser('ghost'),
    );
    expect(await reasonOf({ [target.user]: { primary_account: { secret: '' } } })).toBe(
      'Invalid data detected in input arguments:  No ‘secret’ given for primary_account',
    );
    expect(await reasonOf({ [target.user]: { phone: {} } })).toBe(
      `Invalid data detected in input arguments:  ‘phone’ is not a valid key for ‘${target.user}’`,
    );
    expect(t.sim.secretOf(target.user)).toBeUndefined();
    // No secret check here: WHM stores what it is given.
    await t.root.call(fn, {
      config: { [target.user]: { primary_account: { secret: 'not base32!' } } },
    });
    expect(t.sim.secretOf(target.user)).toBe('not base32!');
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
