import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DEMO_PASSWORD,
  startTestConsole,
  type Client,
  type TestConsole,
} from '../testing/harness.js';
import { matchTotpStep, totpCode } from './totp.js';

let now = Date.now();
let t: TestConsole;
let admin: Client;
beforeAll(async () => {
  t = await startTestConsole({ clock: () => now });
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = 'correct horse battery';

async function createOperator(username: string, role = 'support') {
  expect((await admin.stepUp()).status).toBe(200);
  const answer = await admin.post('/api/operators', { username, password: PASSWORD, role });
  expect(answer.status, answer.text).toBe(201);
  return answer.json.operator as { id: number; username: string };
}

async function enrollTotp(client: Client): Promise<string> {
  const setup = await client.post('/api/me/totp/setup', {});
  expect(setup.status, setup.text).toBe(200);
  expect(setup.json.otpauthUri).toMatch(/^otpauth:\/\/totp\//);
  const secret = setup.json.secret as string;
  const confirm = await client.post('/api/me/totp/confirm', { code: totpCode(secret, now) });
  expect(confirm.status, confirm.text).toBe(200);
  expect(confirm.json.operator.totpEnabled).toBe(true);
  return secret;
}

function nextStep() {
  now += 30_000;
}

describe('SECURITY 15: operator TOTP codes', () => {
  it('when a code is checked, then ±1 step is accepted and ±2 is not', () => {
    const secret = 'JBSWY3DPEHPK3PXP';
    const at = 1_700_000_000_000;
    expect(matchTotpStep(secret, totpCode(secret, at - 30_000), at)).not.toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, at + 30_000), at)).not.toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, at - 60_000), at)).toBeNull();
    expect(matchTotpStep(secret, totpCode(secret, at + 60_000), at)).toBeNull();
    expect(matchTotpStep(secret, '12345', at)).toBeNull();
    expect(matchTotpStep(secret, '１２３４５６', at)).toBeNull();
  });

  it('when an operator with TOTP signs in, then the code is required, checked, and never accepted twice', async () => {
    await createOperator('alice');
    const alice = await t.login('alice', PASSWORD);
    const secret = await enrollTotp(alice);
    nextStep();

    const noCode = await t.anon().request('POST', '/api/session', {
      body: { username: 'alice', password: PASSWORD },
      csrf: false,
    });
    expect(noCode.status).toBe(401);
    expect(noCode.json.code).toBe('totp_required');

    const wrong = await t.anon().request('POST', '/api/session', {
      body: {
        username: 'alice',
        password: PASSWORD,
        totp: '000000' === totpCode(secret, now) ? '111111' : '000000',
      },
      csrf: false,
    });
    expect(wrong.json.code).toBe('invalid_credentials');

    const code = totpCode(secret, now);
    await t.login('alice', PASSWORD, code);
    const replay = await t.anon().request('POST', '/api/session', {
      body: { username: 'alice', password: PASSWORD, totp: code },
      csrf: false,
    });
    expect(replay.status).toBe(401);
    expect(replay.json.code).toBe('invalid_credentials');
    nextStep();
    await t.login('alice', PASSWORD, totpCode(secret, now));
  });
});

describe('SECURITY 14: step-up and required operator TOTP', () => {
  it('when an operator without TOTP steps up with the right password, then removal is allowed for five minutes', async () => {
    const support = await t.login('support');
    const simulator = t.running.simulator!;
    const target = simulator.accounts().find((a) => a.tfa && !a.reseller && a.owner === 'root')!;
    const body = { user: target.user, reason: 'ticket 1: new phone' };
    expect((await support.whmWrite('twofactorauth_remove_user_config', body)).json.code).toBe(
      'step_up_required',
    );
    const wrong = await support.stepUp('wrong password');
    expect(wrong.status).toBe(401);
    expect(wrong.json.code).toBe('invalid_credentials');
    const ok = await support.stepUp(DEMO_PASSWORD);
    expect(ok.status).toBe(200);
    expect(Date.parse(ok.json.stepUpUntil)).toBe(now + 5 * 60_000);
    const state = await support.get('/api/session');
    expect(state.json.stepUpUntil).toBe(ok.json.stepUpUntil);
    expect((await support.whmWrite('twofactorauth_remove_user_config', body)).status).toBe(200);
    now += 5 * 60_000 + 1_000;
    const later = await support.whmWrite('twofactorauth_remove_user_config', body);
    expect(later.json.code).toBe('step_up_required');
  });

  it('when an operator with TOTP steps up, then only a fresh code works, not the password', async () => {
    await createOperator('bob', 'admin');
    const bob = await t.login('bob', PASSWORD);
    const secret = await enrollTotp(bob);
    nextStep();
    const byPassword = await bob.post('/api/session/step-up', { password: PASSWORD });
    expect(byPassword.status).toBe(400);
    expect(byPassword.json.field).toBe('totp');
    const code = totpCode(secret, now);
    expect((await bob.post('/api/session/step-up', { totp: code })).status).toBe(200);
    const replay = await bob.post('/api/session/step-up', { totp: code });
    expect(replay.json.code).toBe('invalid_credentials');
    const disable = await bob.whmWrite('twofactorauth_disable_policy', {});
    expect(disable.status, disable.text).toBe(200);
  });

  it('when an admin requires operator TOTP, then an operator without one may only enroll', async () => {
    const refused = await admin.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: true },
    });
    expect(refused.status).toBe(409);
    await createOperator('henry', 'admin');
    await createOperator('carol', 'viewer');
    const henry = await t.login('henry', PASSWORD);
    const henrySecret = await enrollTotp(henry);
    const put = await henry.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: true },
    });
    expect(put.status, put.text).toBe(200);
    try {
      const carol = await t.login('carol', PASSWORD);
      const state = await carol.get('/api/session');
      expect(state.json.mustEnrollTotp).toBe(true);
      const blocked = await carol.whm('twofactorauth_policy_status');
      expect(blocked.status).toBe(403);
      expect(blocked.json.code).toBe('totp_enrollment_required');
      nextStep();
      await enrollTotp(carol);
      expect((await carol.whm('twofactorauth_policy_status')).status).toBe(200);
    } finally {
      // Relaxing it needs a fresh step-up.
      nextStep();
      await henry.post('/api/session/step-up', { totp: totpCode(henrySecret, now) });
      const off = await henry.request('PUT', '/api/settings', {
        body: { requireOperatorTotp: false },
      });
      expect(off.status, off.text).toBe(200);
    }
  });

  it('when an operator removes its own TOTP with a fresh code, then sign-in needs only the password', async () => {
    await createOperator('dave', 'viewer');
    const dave = await t.login('dave', PASSWORD);
    const secret = await enrollTotp(dave);
    nextStep();
    const removed = await dave.request('DELETE', '/api/me/totp', {
      body: { code: totpCode(secret, now) },
    });
    expect(removed.status).toBe(204);
    await t.login('dave', PASSWORD);
  });

  it('when TOTP guesses repeat, then they are throttled', async () => {
    await createOperator('erin', 'viewer');
    const erin = await t.login('erin', PASSWORD);
    await erin.post('/api/me/totp/setup', {});
    const statuses: number[] = [];
    for (let i = 0; i < 7; i += 1) {
      statuses.push((await erin.post('/api/me/totp/confirm', { code: '000001' })).status);
    }
    expect(statuses.slice(0, 5).every((s) => s === 401)).toBe(true);
    expect(statuses.at(-1)).toBe(429);
  });
});

describe('operators admin API', () => {
  it('when a non-admin calls it, then it is forbidden and recorded', async () => {
    const viewer = await t.login('viewer');
    const answer = await viewer.get('/api/operators');
    expect(answer.status).toBe(403);
    expect((await viewer.get('/api/audit')).status).toBe(403);
    expect(
      (await viewer.post('/api/operators', { username: 'x1', password: PASSWORD, role: 'admin' }))
        .status,
    ).toBe(403);
  });

  it('when an admin lists operators, then no hash or secret is shown', async () => {
    const answer = await admin.get('/api/operators');
    expect(answer.status).toBe(200);
    expect(answer.text).not.toMatch(/argon2|password|secret/i);
    expect(answer.json.operators[0]).toEqual(
      expect.objectContaining({
        id: expect.any(Number),
        username: expect.any(String),
        activeSessions: expect.any(Number),
      }),
    );
  });

  it('when a username exists or a password is short, then creation is refused', async () => {
    expect(
      (await admin.post('/api/operators', { username: 'admin', password: PASSWORD, role: 'admin' }))
        .status,
    ).toBe(409);
    const short = await admin.post('/api/operators', {
      username: 'shorty',
      password: 'short',
      role: 'admin',
    });
    expect(short.status).toBe(400);
    expect(short.json.field).toBe('password');
  });

  it('when the last admin would be demoted or disabled, then it is refused', async () => {
    const list = await admin.get('/api/operators');
    const admins = list.json.operators.filter(
      (o: { role: string; disabled: boolean }) => o.role === 'admin' && !o.disabled,
    );
    for (const other of admins.filter((o: { username: string }) => o.username !== 'admin')) {
      expect(
        (await admin.request('PATCH', `/api/operators/${other.id}`, { body: { disabled: true } }))
          .status,
      ).toBe(200);
    }
    const self = admins.find((o: { username: string }) => o.username === 'admin');
    // Never your own role (403); the last active admin is then the one left.
    const demote = await admin.request('PATCH', `/api/operators/${self.id}`, {
      body: { role: 'viewer' },
    });
    expect(demote.status).toBe(403);
  });

  it('when an operator is disabled, then its sessions end and it cannot sign in', async () => {
    const op = await createOperator('frank', 'viewer');
    const frank = await t.login('frank', PASSWORD);
    await admin.request('PATCH', `/api/operators/${op.id}`, { body: { disabled: true } });
    expect((await frank.get('/api/session')).status).toBe(401);
    const login = await t.anon().request('POST', '/api/session', {
      body: { username: 'frank', password: PASSWORD },
      csrf: false,
    });
    expect(login.json.code).toBe('invalid_credentials');
  });

  it('when an operator changes its password, then the old one stops working', async () => {
    await createOperator('gina', 'viewer');
    const gina = await t.login('gina', PASSWORD);
    const changed = await gina.post('/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.status).toBe(204);
    await t.login('gina', 'a brand new passphrase');
    const old = await t.anon().request('POST', '/api/session', {
      body: { username: 'gina', password: PASSWORD },
      csrf: false,
    });
    expect(old.status).toBe(401);
  });
});
