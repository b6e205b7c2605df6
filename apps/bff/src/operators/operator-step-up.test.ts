import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import { totpCode } from './totp.js';

let now = Date.now();
let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole({ clock: () => now });
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = 'correct horse battery';
let serial = 0;
const fresh = (prefix: string) => `${prefix}${(serial += 1)}`;

/** An admin session that has stepped up: the way an admin makes the others in these tests. */
async function steppedUpAdmin(): Promise<Client> {
  const admin = await t.login('admin');
  expect((await admin.stepUp()).status).toBe(200);
  return admin;
}

async function createOperator(role: string, by?: Client) {
  const admin = by ?? (await steppedUpAdmin());
  const username = fresh(role);
  const answer = await admin.post('/api/operators', { username, password: PASSWORD, role });
  expect(answer.status, answer.text).toBe(201);
  return answer.json.operator as { id: number; username: string };
}

describe('SECURITY 23: step-up guards every operator action that weakens security', () => {
  it('when admin A without step-up creates admin B, then it is refused and B does not exist', async () => {
    const a = await t.login('admin');
    const username = fresh('mallory');
    const created = await a.post('/api/operators', { username, password: PASSWORD, role: 'admin' });
    expect(created.status).toBe(401);
    expect(created.json.code).toBe('step_up_required');
    const login = await t.anon().request('POST', '/api/session', {
      body: { username, password: PASSWORD },
      csrf: false,
    });
    expect(login.status).toBe(401);
    // And so B can never step up and turn the policy off.
    expect((await a.whmWrite('twofactorauth_disable_policy', {})).json.code).toBe(
      'step_up_required',
    );
  });

  it('when an admin without step-up changes a role or enables an operator, then it is refused', async () => {
    const op = await createOperator('viewer');
    const a = await t.login('admin');
    const raise = await a.request('PATCH', `/api/operators/${op.id}`, { body: { role: 'admin' } });
    expect(raise.json.code).toBe('step_up_required');
    const lower = await a.request('PATCH', `/api/operators/${op.id}`, {
      body: { disabled: true },
    });
    expect(lower.status, lower.text).toBe(200);
    const enable = await a.request('PATCH', `/api/operators/${op.id}`, {
      body: { disabled: false },
    });
    expect(enable.json.code).toBe('step_up_required');
    await a.stepUp();
    expect(
      (await a.request('PATCH', `/api/operators/${op.id}`, { body: { role: 'support' } })).status,
    ).toBe(200);
  });

  it("when an admin resets another operator's TOTP, then it needs step-up; an admin's own only goes through /api/me/totp", async () => {
    const op = await createOperator('support');
    const client = await t.login(op.username, PASSWORD);
    const setup = await client.post('/api/me/totp/setup', {});
    await client.post('/api/me/totp/confirm', { code: totpCode(setup.json.secret, now) });
    const a = await t.login('admin');
    const reset = await a.request('DELETE', `/api/operators/${op.id}/totp`);
    expect(reset.json.code).toBe('step_up_required');
    await a.stepUp();
    expect((await a.request('DELETE', `/api/operators/${op.id}/totp`)).status).toBe(204);

    const self = (await a.get('/api/session')).json.operator as { id: number };
    const own = await a.request('DELETE', `/api/operators/${self.id}/totp`);
    expect(own.status).toBe(403);
    expect(own.json.message).toMatch(/My account/);
  });

  it('when an admin relaxes operator TOTP, then it needs step-up; requiring it does not', async () => {
    const henry = await createOperator('admin');
    const h = await t.login(henry.username, PASSWORD);
    const setup = await h.post('/api/me/totp/setup', {});
    const secret = setup.json.secret as string;
    await h.post('/api/me/totp/confirm', { code: totpCode(secret, now) });
    const on = await h.request('PUT', '/api/settings', { body: { requireOperatorTotp: true } });
    expect(on.status, on.text).toBe(200);
    const off = await h.request('PUT', '/api/settings', { body: { requireOperatorTotp: false } });
    expect(off.json.code).toBe('step_up_required');
    const longer = await h.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: true, totpGraceDays: 30 },
    });
    expect(longer.json.code).toBe('step_up_required');
    now += 30_000;
    expect((await h.post('/api/session/step-up', { totp: totpCode(secret, now) })).status).toBe(
      200,
    );
    expect(
      (await h.request('PUT', '/api/settings', { body: { requireOperatorTotp: false } })).status,
    ).toBe(200);
  });
});

describe('operators: reset password, delete', () => {
  it("when an admin resets another operator's password, then it needs step-up, ends their sessions and only the new one works", async () => {
    const op = await createOperator('viewer');
    const old = await t.login(op.username, PASSWORD);
    const a = await t.login('admin');
    const body = { password: 'a fresh reset password' };
    expect((await a.post(`/api/operators/${op.id}/password`, body)).json.code).toBe(
      'step_up_required',
    );
    await a.stepUp();
    const reset = await a.post(`/api/operators/${op.id}/password`, body);
    expect(reset.status, reset.text).toBe(204);
    expect((await old.get('/api/session')).status).toBe(401);
    await t.login(op.username, body.password);
    const short = await a.post(`/api/operators/${op.id}/password`, { password: 'short' });
    expect(short.json.field).toBe('password');
  });

  it('when an admin deletes an operator, then it needs step-up, ends their sessions, is audited, and never deletes yourself', async () => {
    const op = await createOperator('support');
    const client = await t.login(op.username, PASSWORD);
    const a = await t.login('admin');
    expect((await a.request('DELETE', `/api/operators/${op.id}`)).json.code).toBe(
      'step_up_required',
    );
    await a.stepUp();
    expect((await a.request('DELETE', `/api/operators/${op.id}`)).status).toBe(204);
    expect((await client.get('/api/session')).status).toBe(401);
    const list = (await a.get('/api/operators')).json.operators as { username: string }[];
    expect(list.map((o) => o.username)).not.toContain(op.username);
    expect((await a.request('DELETE', `/api/operators/${op.id}`)).status).toBe(404);
    const audit = await a.get(`/api/audit?target=${op.username}&kind=operator`);
    expect(audit.json.records[0]).toMatchObject({
      operator: 'admin',
      target: [op.username],
      detail: { action: 'delete', role: 'support' },
    });

    const self = (await a.get('/api/session')).json.operator as { id: number };
    const own = await a.request('DELETE', `/api/operators/${self.id}`);
    expect(own.status).toBe(403);
  });
});

describe('operators: TOTP grace period', () => {
  it('when TOTP is required, then operators without one may sign in and must enroll during the grace period, and not after', async () => {
    const henry = await createOperator('admin');
    const h = await t.login(henry.username, PASSWORD);
    const setup = await h.post('/api/me/totp/setup', {});
    const secret = setup.json.secret as string;
    await h.post('/api/me/totp/confirm', { code: totpCode(secret, now) });
    const carol = await createOperator('viewer');
    const on = await h.request('PUT', '/api/settings', { body: { requireOperatorTotp: true } });
    expect(on.json).toMatchObject({ requireOperatorTotp: true, totpGraceDays: 7 });
    try {
      now += 6 * 86_400_000;
      const c = await t.login(carol.username, PASSWORD);
      const state = await c.get('/api/session');
      expect(state.json.mustEnrollTotp).toBe(true);
      expect(Date.parse(state.json.totpEnrollBy)).toBeGreaterThan(now);
      expect((await c.whm('twofactorauth_policy_status')).json.code).toBe(
        'totp_enrollment_required',
      );
      now += 2 * 86_400_000;
      const late = await t.anon().request('POST', '/api/session', {
        body: { username: carol.username, password: PASSWORD },
        csrf: false,
      });
      expect(late.status).toBe(403);
      expect(late.json.code).toBe('totp_enrollment_expired');
      const wrong = await t.anon().request('POST', '/api/session', {
        body: { username: carol.username, password: 'not the password' },
        csrf: false,
      });
      expect(wrong.json.code).toBe('invalid_credentials');
      // An admin's password reset gives the operator a new grace period.
      const hh = await t.login(henry.username, PASSWORD, totpCode(secret, now));
      now += 30_000;
      await hh.post('/api/session/step-up', { totp: totpCode(secret, now) });
      await hh.post(`/api/operators/${carol.id}/password`, { password: 'the reset password' });
      await t.login(carol.username, 'the reset password');
    } finally {
      now += 30_000;
      const hh = await t.login(henry.username, PASSWORD, totpCode(secret, now));
      now += 30_000;
      await hh.post('/api/session/step-up', { totp: totpCode(secret, now) });
      await hh.request('PUT', '/api/settings', { body: { requireOperatorTotp: false } });
    }
  });

  it('when a grace period is out of range, then it is a 400 naming it', async () => {
    const a = await steppedUpAdmin();
    const bad = await a.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: false, totpGraceDays: 400 },
    });
    expect(bad.json.field).toBe('totpGraceDays');
  });
});
