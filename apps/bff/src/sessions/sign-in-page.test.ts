import { afterEach, describe, expect, it } from 'vitest';
import { totpCode } from '../operators/totp.js';
import { DEMO_PASSWORD, startTestConsole, type TestConsole } from '../testing/harness.js';

let t: TestConsole | undefined;
afterEach(async () => {
  await t?.close();
  t = undefined;
});

describe('the sign-in page: product and demo sign-ins', () => {
  it('when the console runs in demo mode with the printed default password, then the page may show it and the demo usernames', async () => {
    t = await startTestConsole({ env: { CONSOLE_DEMO_PASSWORD: 'demo' } });
    const answer = await t.anon().get('/api/sign-in');
    expect(answer.status).toBe(200);
    expect(answer.json).toEqual({
      product: 'Two-factor console',
      demo: {
        operators: [
          { username: 'admin', role: 'admin' },
          { username: 'support', role: 'support' },
          { username: 'viewer', role: 'viewer' },
        ],
        password: 'demo',
      },
      sso: null,
    });
    expect((await t.anon().get('/api/sign-in', { csrf: false })).status).toBe(403);
  });

  it('when the demo password was chosen by whoever started it, then only the usernames show', async () => {
    t = await startTestConsole();
    const answer = await t.anon().get('/api/sign-in');
    expect(answer.json.demo.password).toBeNull();
    expect(answer.text).not.toContain(DEMO_PASSWORD);
  });

  it('when a real WHM is configured, then no demo sign-in is shown', async () => {
    t = await startTestConsole({
      env: { WHM_URL: 'http://127.0.0.1:9', WHM_USER: 'root', WHM_TOKEN: 'not-used-here-0123' },
    });
    const answer = await t.anon().get('/api/sign-in');
    expect(answer.json).toEqual({ product: 'Two-factor console', demo: null, sso: null });
  });
});

describe('errors say what happened', () => {
  it('when a step-up password, a current password or a second-step code is wrong, then each says so; the first step still does not', async () => {
    let now = Date.now();
    t = await startTestConsole({ clock: () => now });
    const admin = await t.login('admin');
    const wrongStepUp = await admin.stepUp('not it');
    expect(wrongStepUp.json).toMatchObject({
      code: 'invalid_credentials',
      message: 'The password is wrong.',
    });
    const wrongCurrent = await admin.post('/api/me/password', {
      currentPassword: 'not it',
      newPassword: 'a long enough new one',
    });
    expect(wrongCurrent.json.message).toBe('The current password is wrong.');

    const setup = await admin.post('/api/me/totp/setup', {});
    const secret = setup.json.secret as string;
    await admin.post('/api/me/totp/confirm', { code: totpCode(secret, now) });
    now += 30_000;
    const wrongCode = totpCode(secret, now) === '000000' ? '111111' : '000000';
    const second = await t.anon().request('POST', '/api/session', {
      body: { username: 'admin', password: DEMO_PASSWORD, totp: wrongCode },
      csrf: false,
    });
    expect(second.json.message).toMatch(/^The code is wrong/);
    const stepUpCode = await admin.post('/api/session/step-up', { totp: wrongCode });
    expect(stepUpCode.json.message).toMatch(/^The code is wrong/);
    // Wrong password with a code: the first step's answer, which names no part.
    const first = await t.anon().request('POST', '/api/session', {
      body: { username: 'admin', password: 'not it', totp: wrongCode },
      csrf: false,
    });
    expect(first.json.message).toBe('The username, password or code is wrong.');
  });
});
