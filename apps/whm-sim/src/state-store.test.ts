import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { accountHasFeature } from './features.js';
import { seedState } from './seed.js';
import { StateStore } from './state-store.js';
import type { SimState } from './state.js';
import { ROOT_TOKEN, startTestSimulator } from './test-support/simulator.js';
import { totpCode } from './totp.js';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'whm-sim-state-'));
});
afterEach(async () => {
  await rm(dir, { recursive: true, force: true });
});

async function readState(file: string): Promise<SimState> {
  return JSON.parse(await readFile(file, 'utf8')) as SimState;
}

describe('state file', () => {
  it('when the simulator restarts on the same file, then secrets, issuers, policy and tokens are kept', async () => {
    const stateFile = join(dir, 'state.json');
    const now = Date.now();
    const first = await startTestSimulator({ stateFile, accounts: 30, clock: () => now });
    const { secret } = await first.root.call('twofactorauth_generate_tfa_config', {});
    await first.root.call('twofactorauth_set_tfa_config', {
      secret,
      tfa_token: totpCode(secret, now),
    });
    await first.root.call('twofactorauth_set_issuer', { issuer: 'Persisted Issuer' });
    await first.root.call('twofactorauth_enable_policy', {});
    const reseller = first.reseller(0);
    await reseller.client.call('twofactorauth_set_issuer', { issuer: 'Reseller Issuer' });
    const removed = first.sim.accounts().find((a) => a.tfa && !a.reseller)?.user ?? '';
    await first.root.call('twofactorauth_remove_user_config', { user: removed });
    const accountsBefore = first.sim.accounts();
    await first.sim.close();

    const second = await startTestSimulator({ stateFile, accounts: 5 });
    try {
      expect(second.sim.accounts()).toEqual(accountsBefore);
      expect(second.sim.secretOf('root')).toBe(secret);
      expect(second.sim.secretOf(removed)).toBeUndefined();
      await expect(second.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
        is_enabled: 1,
      });
      await expect(second.root.call('twofactorauth_get_issuer', {})).resolves.toEqual({
        issuer: 'Persisted Issuer',
        system_wide_issuer: 'Persisted Issuer',
      });
      const again = second.clientFor(reseller.user, `token-of-${reseller.user}`);
      await expect(again.call('twofactorauth_get_issuer', {})).resolves.toMatchObject({
        issuer: 'Reseller Issuer',
      });
    } finally {
      await second.sim.close();
    }
  });

  it('when the simulator restarts with another root token, then the old one stops working', async () => {
    const stateFile = join(dir, 'state.json');
    const first = await startTestSimulator({ stateFile });
    first.sim.addToken('root', 'extra-root-token');
    await first.sim.close();
    const second = await startTestSimulator({ stateFile, rootToken: 'new-root-token' });
    try {
      const oldStatus = await second.raw('/json-api/twofactorauth_policy_status?api.version=1');
      expect(oldStatus.status).toBe(403);
      const fresh = second.clientFor('root', 'new-root-token');
      await expect(fresh.call('twofactorauth_policy_status', {})).resolves.toEqual({
        is_enabled: 0,
      });
      const extra = second.clientFor('root', 'extra-root-token');
      await expect(extra.call('twofactorauth_policy_status', {})).resolves.toEqual({
        is_enabled: 0,
      });
    } finally {
      await second.sim.close();
    }
  });

  it('when tokens are stored, then only their SHA-256 hashes are in the file', async () => {
    const stateFile = join(dir, 'state.json');
    const t = await startTestSimulator({ stateFile });
    t.reseller(0);
    await t.sim.close();
    const text = await readFile(stateFile, 'utf8');
    expect(text).not.toContain(ROOT_TOKEN);
    expect(text).not.toContain('token-of-');
    expect((await readState(stateFile)).tokens).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ sha256: expect.stringMatching(/^[0-9a-f]{64}$/) as unknown }),
      ]),
    );
  });

  it('when 100 writes arrive at once, then the file is valid and holds every effect', async () => {
    const stateFile = join(dir, 'state.json');
    const t = await startTestSimulator({ stateFile, accounts: 120 });
    try {
      const enrolled = t.sim.accounts().filter((a) => a.tfa);
      expect(enrolled.length).toBeGreaterThanOrEqual(25);
      const removals = enrolled
        .slice(0, 25)
        .map((a) => t.root.call('twofactorauth_remove_user_config', { user: a.user }));
      const issuers = Array.from({ length: 25 }, (_, i) =>
        t.root.call('twofactorauth_set_issuer', { issuer: `Issuer ${i}` }),
      );
      const policy = Array.from({ length: 25 }, (_, i) =>
        t.root.call(
          i % 2 === 0 ? 'twofactorauth_enable_policy' : 'twofactorauth_disable_policy',
          {},
        ),
      );
      const plain = t.sim
        .accounts()
        .filter((a) => !a.tfa)
        .slice(0, 25)
        .map((a) => a.user);
      expect(plain).toHaveLength(25);
      const replacements = plain.map((user) => {
        return t.root.call('twofactorauth_set_tfa_config_for_user', {
          config: { [user]: { primary_account: { secret: 'JBSWY3DPEHPK3PXP' } } },
        });
      });
      let writing = true;
      const reads: Promise<number> = (async () => {
        let parsed = 0;
        while (writing) {
          // A reader racing the writer must always see a whole file, old or new.
          JSON.parse(await readFile(stateFile, 'utf8'));
          parsed += 1;
        }
        return parsed;
      })();
      await Promise.all([...removals, ...issuers, ...policy, ...replacements]);
      writing = false;
      expect(await reads).toBeGreaterThan(0);

      const onDisk = await readState(stateFile);
      for (const a of enrolled.slice(0, 25)) expect(onDisk.secrets[a.user]).toBeUndefined();
      for (const user of plain) {
        expect(onDisk.secrets[user]).toEqual({ secret: 'JBSWY3DPEHPK3PXP' });
      }
      // Requests on parallel connections may land in any order: the file must match the server.
      const { issuer } = await t.root.call('twofactorauth_get_issuer', {});
      expect(issuer).toMatch(/^Issuer \d+$/);
      expect(onDisk.issuers.system_wide_issuer).toBe(issuer);
      const { is_enabled } = await t.root.call('twofactorauth_policy_status', {});
      expect(onDisk.policyEnabled).toBe(is_enabled === 1);
      expect((await readdir(dir)).filter((name) => name.endsWith('.tmp'))).toEqual([]);
    } finally {
      await t.sim.close();
    }
  });

  it('when the state file is not a simulator state, then start-up fails naming the file', async () => {
    const stateFile = join(dir, 'state.json');
    await writeFile(stateFile, JSON.stringify({ hello: 'world' }));
    await expect(startTestSimulator({ stateFile })).rejects.toThrow(stateFile);
  });

  it('when the state file is not JSON, then start-up fails naming the file', async () => {
    const stateFile = join(dir, 'state.json');
    await writeFile(stateFile, '{"version": 1, "accounts": [');
    await expect(startTestSimulator({ stateFile })).rejects.toThrow(
      `state file ${stateFile} is not valid JSON`,
    );
  });

  it('when there is no state file, then the state lives in memory and nothing is written', async () => {
    const t = await startTestSimulator();
    await t.root.call('twofactorauth_enable_policy', {});
    await t.sim.close();
    expect(await readdir(dir)).toEqual([]);
  });
});

describe('seed', () => {
  it('when the same N is seeded twice, then the accounts and secrets are identical', () => {
    expect(seedState(300)).toEqual(seedState(300));
  });

  it('when seeded, then there are resellers owning accounts, one owning none, several plans, suspended and enrolled accounts', () => {
    const state = seedState(100);
    expect(state.accounts).toHaveLength(100);
    expect(state.resellers.length).toBeGreaterThanOrEqual(3);
    const owning = state.resellers.filter((r) => state.accounts.some((a) => a.owner === r));
    expect(owning).toEqual(state.resellers.slice(0, -1));
    expect(new Set(state.accounts.map((a) => a.plan)).size).toBeGreaterThanOrEqual(4);
    expect(state.accounts.filter((a) => a.suspended === 1).length).toBeGreaterThan(3);
    expect(Object.keys(state.secrets).length).toBeGreaterThan(10);
    expect(new Set(state.accounts.map((a) => a.user)).size).toBe(100);
    expect(new Set(state.accounts.map((a) => a.domain)).size).toBe(100);
    for (const a of state.accounts) expect(a.user).toMatch(/^[a-z][a-z0-9]{0,15}$/);
    const lacking = state.accounts.filter((a) => !accountHasFeature(state, a, 'twofactorauth'));
    expect(lacking.length).toBeGreaterThan(5);
    expect(lacking.some((a) => state.secrets[a.user])).toBe(false);
    expect(new Set(lacking.map((a) => state.packages[a.plan]?.FEATURELIST))).toEqual(
      new Set(['starter']),
    );
  });

  it('when a state file from before packages is opened, then its plans become packages with feature lists', async () => {
    const file = join(dir, 'old.json');
    const old: Partial<SimState> & { plans?: unknown } = seedState(10);
    delete old.packages;
    delete old.featureLists;
    old.plans = { starter: { twofactorauth: false }, basic: { twofactorauth: true } };
    await writeFile(file, JSON.stringify(old));
    const store = await StateStore.open(file, () => seedState(1));
    const starter = store.state.accounts.find((a) => a.plan === 'starter');
    const basic = store.state.accounts.find((a) => a.plan === 'basic');
    expect(starter && accountHasFeature(store.state, starter, 'twofactorauth')).toBe(false);
    expect(basic && accountHasFeature(store.state, basic, 'twofactorauth')).toBe(true);
  });

  it('when 10,000 accounts are seeded, then it takes well under a second', () => {
    const started = performance.now();
    const state = seedState(10_000);
    expect(state.accounts).toHaveLength(10_000);
    expect(performance.now() - started).toBeLessThan(1_000);
  });

  it('when there are no or one accounts, then seeding still works', () => {
    expect(seedState(0).accounts).toEqual([]);
    expect(seedState(1).resellers).toEqual([]);
  });
});
