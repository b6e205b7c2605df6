import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { totpCode } from '../operators/totp.js';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole();
});
afterAll(async () => {
  await t.close();
});

const simulator = () => t.running.simulator!;

async function enroll(admin: Client) {
  const generated = await admin.whmWrite('twofactorauth_generate_tfa_config', {});
  expect(generated.status, generated.text).toBe(200);
  const secret = generated.json.data.secret as string;
  const answer = await admin.whmWrite('twofactorauth_set_tfa_config', {
    secret,
    tfa_token: totpCode(secret, Date.now()),
  });
  return { secret, answer };
}

describe('SECURITY 23: replacing the WHM user’s 2FA needs a step-up', () => {
  it('when root has no 2FA yet, then admin enrolls it without a step-up', async () => {
    expect(simulator().secretOf('root')).toBeUndefined();
    const admin = await t.login('admin');
    const { secret, answer } = await enroll(admin);
    expect(answer.status, answer.text).toBe(200);
    expect(simulator().secretOf('root')).toBe(secret);
  });

  it('when root already has 2FA, then enrolling again answers step_up_required and the old secret stays; after a step-up it is replaced', async () => {
    const old = simulator().secretOf('root');
    expect(old).toBeDefined();
    const admin = await t.login('admin');
    const refused = await enroll(admin);
    expect(refused.answer.status).toBe(401);
    expect(refused.answer.json.code).toBe('step_up_required');
    expect(refused.answer.json.message).toContain('root already has 2FA');
    expect(simulator().secretOf('root')).toBe(old);

    expect((await admin.stepUp()).status).toBe(200);
    const replaced = await enroll(admin);
    expect(replaced.answer.status, replaced.answer.text).toBe(200);
    expect(simulator().secretOf('root')).toBe(replaced.secret);
  });

  it('when WHM cannot say whether root has 2FA, then enrolling fails closed with step_up_required', async () => {
    const admin = await t.login('admin');
    const before = simulator().secretOf('root');
    simulator().faults.set({ fn: 'twofactorauth_get_user_configs', mode: 'status' });
    try {
      const { answer } = await enroll(admin);
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('step_up_required');
    } finally {
      simulator().faults.clear();
    }
    expect(simulator().secretOf('root')).toBe(before);
  });
});

describe('issuer: whitespace-only is refused, empty still resets', () => {
  it('when the issuer is only spaces (quoted or not), then 400 names issuer and WHM is not called', async () => {
    const admin = await t.login('admin');
    const before = simulator().calls.count('twofactorauth_set_issuer');
    for (const issuer of ['   ', ' ', '" "', "'  '"]) {
      const answer = await admin.whmWrite('twofactorauth_set_issuer', { issuer });
      expect(answer.status, JSON.stringify(issuer)).toBe(400);
      expect(answer.json).toMatchObject({ code: 'invalid_params', field: 'issuer' });
    }
    expect(simulator().calls.count('twofactorauth_set_issuer')).toBe(before);
  });

  it('when the issuer is set and then emptied, then empty resets it to the default', async () => {
    const admin = await t.login('admin');
    expect(
      (await admin.whmWrite('twofactorauth_set_issuer', { issuer: 'Acme Hosting' })).status,
    ).toBe(200);
    expect((await admin.whm('twofactorauth_get_issuer')).json.data.issuer).toBe('Acme Hosting');
    expect((await admin.whmWrite('twofactorauth_set_issuer', { issuer: '' })).status).toBe(200);
    const reset = await admin.whm('twofactorauth_get_issuer');
    expect(reset.json.data.issuer).not.toBe('Acme Hosting');
    expect(reset.json.data.issuer).toBe(reset.json.data.system_wide_issuer);
  });
});

describe('GET /api/servers/:server/whm-user', () => {
  it('when asked, then it says whether the WHM user has 2FA, without naming it', async () => {
    const viewer = await t.login('viewer');
    const answer = await viewer.get('/api/servers/local/whm-user');
    expect(answer.status, answer.text).toBe(200);
    const on = simulator().secretOf('root') !== undefined;
    expect(answer.json).toEqual({ twoFactor: on ? 'on' : 'off' });
    expect((await viewer.get('/api/servers/nowhere/whm-user')).status).toBe(404);
    simulator().faults.set({ fn: 'twofactorauth_get_user_configs', mode: 'html' });
    try {
      expect((await viewer.get('/api/servers/local/whm-user')).json.code).toBe(
        'upstream_unavailable',
      );
    } finally {
      simulator().faults.clear();
    }
  });
});
