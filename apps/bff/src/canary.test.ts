import { randomBytes } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from './logger.js';
import { DEMO_PASSWORD, startTestConsole, type TestConsole } from './testing/harness.js';
import { totpCode } from './operators/totp.js';

const TOKEN = `CANARY-${randomBytes(12).toString('hex')}`;
const PASSWORD_CANARY = `CANARYPW-${randomBytes(6).toString('hex')}`;

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole({ simToken: TOKEN, env: { WHM_TIMEOUT_MS: '800' } });
});
afterAll(async () => {
  await t.close();
});

function filesUnder(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? filesUnder(path) : [path];
  });
}

describe('SECURITY 1, 21: the WHM token and secrets never leak', () => {
  it('when every flow runs with a canary token, then no response, log line or built file contains it', async () => {
    const simulator = t.running.simulator!;
    const admin = await t.login('admin');
    const support = await t.login('support');
    const viewer = await t.login('viewer');
    for (const client of [admin, support, viewer]) {
      await client.get('/api/session');
      await client.get('/api/servers');
      await client.whm('listaccts', 'want=user,domain,owner');
      await client.whm('twofactorauth_get_user_configs');
      await client.whm('twofactorauth_policy_status');
      await client.whm('twofactorauth_get_issuer');
      await client.whm('twofactorauth_get_tfa_config_for_user', 'user=root');
      await client.post('/api/servers/local/whm/twofactorauth_set_issuer', { issuer: 'Canary Co' });
    }
    await admin.stepUp();
    await admin.whmWrite('twofactorauth_enable_policy', {});
    await admin.whmWrite('twofactorauth_disable_policy', {});
    const generated = await admin.whmWrite('twofactorauth_generate_tfa_config', {});
    const secret = generated.json.data.secret as string;
    await admin.whmWrite('twofactorauth_set_tfa_config', {
      secret,
      tfa_token: totpCode(secret, Date.now()),
    });
    const target = simulator.accounts().find((a) => a.tfa && !a.reseller && a.owner === 'root')!;
    await support.stepUp();
    await support.whmWrite('twofactorauth_remove_user_config', {
      user: [target.user, 'nosuchuser'],
      reason: 'ticket 42: canary run',
    });
    for (const mode of ['html', 'status', 'truncated', 'result0', 'hang', 'reset'] as const) {
      simulator.faults.set({ mode, fn: 'twofactorauth_policy_status', times: 2 });
      await admin.whm('twofactorauth_policy_status');
      simulator.faults.clear();
    }
    await t.anon().request('POST', '/api/session', {
      body: { username: 'admin', password: PASSWORD_CANARY },
      csrf: false,
    });
    await admin.post('/api/session/step-up', { password: PASSWORD_CANARY });
    await admin.post('/api/me/password', {
      currentPassword: DEMO_PASSWORD,
      newPassword: `${PASSWORD_CANARY}-new`,
    });
    await admin.get('/api/audit?limit=500');
    await admin.get('/api/audit.csv');
    await admin.request('DELETE', '/api/session');

    expect(t.responses.length).toBeGreaterThan(40);
    expect(t.logs.length).toBeGreaterThan(40);
    for (const text of t.responses) expect(text).not.toContain(TOKEN);
    for (const line of t.logs) {
      expect(line).not.toContain(TOKEN);
      expect(line).not.toContain(PASSWORD_CANARY);
      expect(line).not.toContain(secret);
    }
    const web = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..', 'web', 'dist');
    if (existsSync(web)) {
      for (const file of filesUnder(web)) expect(readFileSync(file, 'utf8')).not.toContain(TOKEN);
    }
  });

  it('when secrets are logged by mistake, then pino redacts them', () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    const canary = 'CANARY-REDACT';
    logger.info({
      authorization: canary,
      cookie: canary,
      secret: canary,
      otpauth_str: canary,
      tfa_token: canary,
      password: canary,
      totp: canary,
      req: { headers: { authorization: canary, cookie: canary }, body: { code: canary } },
      res: { headers: { 'set-cookie': canary } },
      body: {
        code: canary,
        totp: canary,
        password: canary,
        newPassword: canary,
        data: { secret: canary, otpauth_str: canary },
      },
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).not.toContain(canary);
    expect(lines[0]).toContain('[redacted]');
  });

  it('when a refusal is logged, then its error code is kept: only TOTP codes are redacted', async () => {
    const lines: string[] = [];
    const logger = createLogger({ destination: { write: (line: string) => lines.push(line) } });
    logger.info({ code: 'csrf_required', detail: { code: 'forbidden' }, body: { code: '123456' } });
    expect(lines[0]).toContain('"code":"csrf_required"');
    expect(lines[0]).toContain('"detail":{"code":"forbidden"}');
    expect(lines[0]).not.toContain('123456');

    const viewer = await t.login('viewer');
    const refused = await viewer.whm('twofactorauth_enable_policy');
    expect(refused.status).toBe(405);
    const line = t.logs
      .map((entry) => JSON.parse(entry) as { msg?: string; requestId?: string; code?: string })
      .find((entry) => entry.msg === 'refused' && entry.requestId === refused.json.requestId);
    expect(line?.code).toBe('method_not_allowed');
  });
});
