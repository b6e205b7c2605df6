import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { EnvError, parseEnv } from '../env.js';
import { Client, startTestConsole, type TestConsole } from '../testing/harness.js';
import { HOSTED_READS_PER_MINUTE, HostedDemo } from './hosted-demo.js';

function refusal(env: Record<string, string>): string {
  try {
    parseEnv(env);
  } catch (error) {
    return error instanceof EnvError ? error.variable : 'not an EnvError';
  }
  return 'accepted';
}

describe('hosted demo settings', () => {
  it('when DEMO_PUBLIC is set, it binds anywhere but refuses real servers, a known password and a database', () => {
    expect(refusal({ DEMO_PUBLIC: '1', HOST: '0.0.0.0' })).toBe('accepted');
    expect(refusal({ HOST: '0.0.0.0' })).toBe('HOST');
    expect(
      refusal({
        DEMO_PUBLIC: '1',
        WHM_URL: 'https://whm.example.com:2087',
        WHM_USER: 'root',
        WHM_TOKEN: 'x',
      }),
    ).toBe('WHM_URL');
    expect(refusal({ DEMO_PUBLIC: '1', WHM_SERVERS_FILE: '/etc/servers.json' })).toBe(
      'WHM_SERVERS_FILE',
    );
    expect(refusal({ DEMO_PUBLIC: '1', CONSOLE_DEMO_PASSWORD: 'demo' })).toBe(
      'CONSOLE_DEMO_PASSWORD',
    );
    expect(refusal({ DEMO_PUBLIC: '1', DATABASE_URL: 'postgres://localhost/x' })).toBe(
      'DATABASE_URL',
    );
    expect(refusal({ DEMO_PUBLIC: '1', DEMO_RESET_MINUTES: '2' })).toBe('DEMO_RESET_MINUTES');
    expect(refusal({ DEMO_PUBLIC: 'yes' })).toBe('DEMO_PUBLIC');
    expect(refusal({ DEMO_SHOW_SIGNINS: '1' })).toBe('DEMO_SHOW_SIGNINS');
  });

  it('resets on its interval, and a reset asked for during one is that one', async () => {
    vi.useFakeTimers();
    try {
      const env = parseEnv({ DEMO_PUBLIC: '1', DEMO_RESET_MINUTES: '5' });
      const demo = new HostedDemo(env, () => Date.now(), ['admin']);
      let resets = 0;
      let finish: () => void = () => undefined;
      demo.start(
        () =>
          new Promise<void>((resolve) => {
            resets += 1;
            finish = resolve;
          }),
      );
      await vi.advanceTimersByTimeAsync(4 * 60_000);
      expect(resets).toBe(0);
      await vi.advanceTimersByTimeAsync(60_000);
      expect(resets).toBe(1);
      const asked = demo.reset();
      expect(resets).toBe(1);
      finish();
      await asked;
      const next = Date.parse(demo.info().nextResetAt);
      expect(next).toBe(Date.now() + 5 * 60_000);
      demo.stop();
    } finally {
      vi.useRealTimers();
    }
  });
});

describe('a hosted demo', () => {
  let harness: TestConsole;
  let passwordOf: (username: string) => string;

  beforeAll(async () => {
    harness = await startTestConsole({
      env: { DEMO_PUBLIC: '1', DEMO_SHOW_SIGNINS: '1' },
    });
    const hosted = harness.running.hosted;
    if (!hosted) throw new Error('not a hosted demo');
    passwordOf = (username) => hosted.passwordOf(username);
  });
  afterAll(async () => {
    await harness?.close();
  });

  it('when it starts, each demo operator has its own random password and `demo` is not one', async () => {
    const admin = passwordOf('admin');
    expect(admin).toMatch(/^[A-Za-z0-9_-]{16}$/);
    expect(new Set(['admin', 'support', 'viewer'].map(passwordOf)).size).toBe(3);
    const refused = await harness.anon().request('POST', '/api/session', {
      body: { username: 'admin', password: 'demo' },
      csrf: false,
    });
    expect(refused.status).toBe(401);
    await expect(harness.login('admin', admin)).resolves.toBeInstanceOf(Client);
  });

  it('when DEMO_SHOW_SIGNINS is on, the sign-in page lists the sign-ins, and the banner its schedule', async () => {
    const info = await harness.anon().get('/api/sign-in');
    expect(info.json.demo.hosted).toEqual({ showSignIns: true });
    expect(info.json.demo.operators).toContainEqual({
      username: 'support',
      role: 'support',
      password: passwordOf('support'),
    });
    const schedule = await harness.anon().get('/api/demo');
    expect(schedule.status).toBe(200);
    expect(schedule.json.resetMinutes).toBe(60);
    const next = Date.parse(schedule.json.nextResetAt);
    expect(next - Date.now()).toBeGreaterThan(59 * 60_000);
  });

  it('when a visitor would change a shared sign-in, it is refused', async () => {
    const admin = await harness.login('admin', passwordOf('admin'));
    await admin.stepUp(passwordOf('admin'));
    const password = await admin.post('/api/me/password', {
      currentPassword: passwordOf('admin'),
      newPassword: 'a new password for all',
    });
    expect(password.status).toBe(403);
    expect(password.json.message).toContain('hosted demo');
    const totp = await admin.post('/api/me/totp/setup', {});
    expect(totp.status).toBe(403);
    const settings = await admin.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: true },
    });
    expect(settings.status).toBe(403);
  });

  it('when an admin resets it, with step-up, every change and session is gone and the sign-ins stay', async () => {
    const admin = await harness.login('admin', passwordOf('admin'));
    const noStepUp = await admin.post('/api/demo/reset', {});
    expect(noStepUp.status).toBe(401);
    expect(noStepUp.json.code).toBe('step_up_required');
    const support = await harness.login('support', passwordOf('support'));
    const denied = await support.post('/api/demo/reset', {});
    expect(denied.status).toBe(403);

    await admin.stepUp(passwordOf('admin'));
    const created = await admin.post('/api/operators', {
      username: 'visitor-made',
      password: 'a password of twelve',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    const on = await admin.whmWrite('twofactorauth_enable_policy', {});
    expect(on.status).toBe(200);
    const simulatorBefore = harness.running.simulatorUrl;

    const reset = await admin.post('/api/demo/reset', {});
    expect(reset.status).toBe(202);
    expect((await admin.get('/api/session')).status).toBe(401);
    expect((await support.get('/api/session')).status).toBe(401);

    const again = await harness.login('admin', passwordOf('admin'));
    const operators = (await again.get('/api/operators')).json.operators as { username: string }[];
    expect(operators.map((o) => o.username).sort()).toEqual(['admin', 'support', 'viewer']);
    const policy = await again.whm('twofactorauth_policy_status');
    expect(policy.status).toBe(200);
    expect(policy.json.data.is_enabled).toBe(0);
    expect(harness.running.simulatorUrl).not.toBe(simulatorBefore);
    const audit = (await again.get('/api/audit')).json.records as { operator: string | null }[];
    expect(audit.some((r) => r.operator === 'support')).toBe(false);
  });

  it('when one address sends more than a visitor would, it is slowed down', async () => {
    const viewer = await harness.login('viewer', passwordOf('viewer'));
    let limited: Awaited<ReturnType<Client['get']>> | undefined;
    for (let i = 0; i <= HOSTED_READS_PER_MINUTE && !limited; i += 1) {
      const answer = await viewer.get('/api/session');
      if (answer.status === 429) limited = answer;
    }
    expect(limited?.json.code).toBe('rate_limited');
    expect(Number(limited?.headers['retry-after'])).toBeGreaterThan(0);
  });
});
