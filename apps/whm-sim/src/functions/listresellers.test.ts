import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhmError } from '@console/whm-api';
import { seedState } from '../seed.js';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';

let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator({ accounts: 30 });
});
afterAll(() => t.sim.close());

describe('listresellers', () => {
  it('when root lists resellers, then every reseller comes back under data.reseller, one that owns nothing included', async () => {
    const answer = await t.raw('/json-api/listresellers?api.version=1');
    expect(answer.json).toMatchObject({
      metadata: { command: 'listresellers', result: 1, reason: 'OK' },
    });
    const listed = (answer.json as { data: { reseller: string[] } }).data.reseller;
    const resellers = t.sim.accounts().filter((a) => a.reseller);
    expect([...listed].sort()).toEqual(resellers.map((a) => a.user).sort());
    const owners = new Set(t.sim.accounts().map((a) => a.owner));
    expect(listed.some((user) => !owners.has(user))).toBe(true);
    await expect(t.root.call('listresellers', {})).resolves.toEqual({ reseller: listed });
  });

  it('when a reseller asks for the reseller list, then WHM refuses it as a root-only function', async () => {
    const { client } = t.reseller(0);
    await expect(client.call('listresellers', {})).rejects.toBeInstanceOf(WhmError);
  });

  it('when seeded with dozens of accounts or more, then exactly one reseller owns no account', () => {
    for (const total of [30, 60, 1000]) {
      const state = seedState(total);
      const idle = state.resellers.filter((r) => !state.accounts.some((a) => a.owner === r));
      expect(idle, `seed of ${total}`).toHaveLength(1);
      expect(state.accounts.map((a) => a.user)).toContain(idle[0]);
    }
  });
});
