import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

let t: TestConsole;
let support: Client;
let admin: Client;
beforeAll(async () => {
  t = await startTestConsole();
  support = await t.login('support');
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});
beforeEach(() => {
  t.running.simulator!.faults.clear();
});

const simulator = () => t.running.simulator!;
const removes = () => simulator().calls.count('twofactorauth_remove_user_config');

/** The seed's reseller that owns no account: a reseller by WHM's list, not by ownership. */
function idleReseller(): string {
  const accounts = simulator().accounts();
  const owners = new Set(accounts.map((a) => a.owner));
  const idle = accounts.find((a) => a.reseller && !owners.has(a.user));
  if (!idle) throw new Error('the simulator seeds no reseller that owns nothing');
  return idle.user;
}

function ordinaryAccount(): string {
  const accounts = simulator().accounts();
  const owners = new Set(accounts.map((a) => a.owner));
  return accounts.find((a) => !a.reseller && !owners.has(a.user))!.user;
}

describe("SECURITY 24: who is a reseller is WHM's own list", () => {
  it('when any role reads listresellers, then it gets WHM’s reseller list', async () => {
    const resellers = simulator()
      .accounts()
      .filter((a) => a.reseller)
      .map((a) => a.user)
      .sort();
    for (const role of ['viewer', 'support', 'admin']) {
      const client = await t.login(role);
      const answer = await client.whm('listresellers');
      expect(answer.status, answer.text).toBe(200);
      expect([...answer.json.data.reseller].sort()).toEqual(resellers);
    }
  });

  it('when support removes 2FA from a reseller that owns no account, then 403 names it a reseller and WHM is never asked to remove', async () => {
    const reseller = idleReseller();
    await support.stepUp();
    const before = removes();
    const answer = await support.whmWrite('twofactorauth_remove_user_config', {
      user: [ordinaryAccount(), reseller],
      reason: 'ticket 11: lost phone',
    });
    expect(answer.status, answer.text).toBe(403);
    expect(answer.json).toMatchObject({ code: 'forbidden' });
    expect(answer.json.message).toContain(`${reseller} is a reseller`);
    expect(removes()).toBe(before);
  });

  it('when support removes 2FA from root, then 403 says support may not change root', async () => {
    await support.stepUp();
    const answer = await support.whmWrite('twofactorauth_remove_user_config', {
      user: 'root',
      reason: 'ticket 12: lost phone',
    });
    expect(answer.status).toBe(403);
    expect(answer.json.message).toBe('Support may not change root.');
  });

  it('when WHM’s reseller list cannot be read, then support’s removal fails closed and nothing is removed', async () => {
    await support.stepUp();
    const before = removes();
    for (const mode of ['status', 'result0', 'html'] as const) {
      simulator().faults.set({ fn: 'listresellers', mode });
      const answer = await support.whmWrite('twofactorauth_remove_user_config', {
        user: ordinaryAccount(),
        reason: 'ticket 13: lost phone',
      });
      expect(answer.status, `${mode}: ${answer.text}`).toBe(502);
      expect(answer.json.code).toBe('upstream_unavailable');
      expect(answer.json.message).toContain("WHM's reseller list could not be read");
    }
    expect(removes()).toBe(before);
  });

  it('when the reseller list is readable again, then support may remove an ordinary account and admin a reseller', async () => {
    await support.stepUp();
    const ordinary = await support.whmWrite('twofactorauth_remove_user_config', {
      user: ordinaryAccount(),
      reason: 'ticket 14: lost phone',
    });
    expect(ordinary.status, ordinary.text).toBe(200);
    await admin.stepUp();
    const reseller = await admin.whmWrite('twofactorauth_remove_user_config', {
      user: idleReseller(),
      reason: 'ticket 15: reseller lost phone',
    });
    expect(reseller.status, reseller.text).toBe(200);
  });
});
