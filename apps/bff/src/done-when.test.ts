import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, testDatabases, type TestConsole } from './testing/harness.js';

describe.each(testDatabases())('the issue flow on $label', (database) => {
  let t: TestConsole;
  beforeAll(async () => {
    t = await startTestConsole({ database: await database.open() });
  });
  afterAll(async () => {
    const db = t.running.services.db;
    await t?.close();
    await db.close();
  });

  it('when support removes one account’s 2FA with a reason, then admin sees it, its reason and prior state in the audit log, and the chain verifies', async () => {
    const simulator = t.running.simulator!;
    const target = simulator
      .accounts()
      .find((account) => account.tfa && !account.reseller && account.owner === 'root');
    expect(target).toBeDefined();
    const user = target!.user;

    const support = await t.login('support');
    const list = await support.whm('listaccts', 'want=user,domain,owner');
    expect(list.status).toBe(200);
    expect(list.json.data.acct.map((a: { user: string }) => a.user)).toContain(user);

    const configs = await support.whm('twofactorauth_get_user_configs');
    expect(configs.json.data[user].is_enabled).toBe(1);

    const withoutStepUp = await support.whmWrite('twofactorauth_remove_user_config', {
      user,
      reason: 'ticket 123: lost phone',
    });
    expect(withoutStepUp.status).toBe(401);
    expect(withoutStepUp.json.code).toBe('step_up_required');

    expect((await support.stepUp()).status).toBe(200);
    const removal = await support.whmWrite('twofactorauth_remove_user_config', {
      user,
      reason: 'ticket 123: lost phone',
    });
    expect(removal.status, removal.text).toBe(200);
    expect(removal.json.results).toEqual([{ user, outcome: 'removed' }]);
    expect(simulator.secretOf(user)).toBeUndefined();

    const admin = await t.login('admin');
    const audit = await admin.get(
      `/api/audit?function=twofactorauth_remove_user_config&target=${user}`,
    );
    expect(audit.status).toBe(200);
    const outcome = audit.json.records.find((r: { kind: string }) => r.kind === 'outcome');
    const intent = audit.json.records.find((r: { kind: string }) => r.kind === 'intent');
    expect(intent).toMatchObject({
      operator: 'support',
      role: 'support',
      reason: 'ticket 123: lost phone',
      target: [user],
      detail: { prior: { [user]: true } },
    });
    expect(outcome).toMatchObject({
      outcome: 'success',
      reason: 'ticket 123: lost phone',
      detail: { prior: { [user]: true } },
    });
    const verify = await admin.get('/api/audit/verify');
    expect(verify.json).toMatchObject({ valid: true, firstBrokenId: null });
    expect(verify.json.count).toBeGreaterThan(3);
  });
});
