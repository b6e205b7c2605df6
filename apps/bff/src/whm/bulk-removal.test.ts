import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole();
});
afterAll(async () => {
  await t.close();
});

describe('bulk 2FA removal against the simulator', () => {
  it('when three enrolled accounts are removed in one call, then WHM removes every one (user, user-0, user-1)', async () => {
    const simulator = t.running.simulator!;
    const targets = simulator
      .accounts()
      .filter((a) => a.tfa && !a.reseller)
      .slice(0, 3)
      .map((a) => a.user);
    expect(targets).toHaveLength(3);
    const admin = await t.login('admin');
    await admin.stepUp();
    const answer = await admin.whmWrite('twofactorauth_remove_user_config', {
      user: targets,
      reason: 'ticket 81: bulk removal',
    });
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.results).toEqual(targets.map((user) => ({ user, outcome: 'removed' })));
    for (const user of targets) expect(simulator.secretOf(user)).toBeUndefined();
  });
});
