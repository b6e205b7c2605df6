import { mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { verifyAuditChain } from '../cli/audit-verify.js';
import { openEnvDatabase } from '../console.js';
import { migrate } from '../db/migrations.js';
import { EnvError, parseEnv } from '../env.js';
import { startTestConsole } from '../testing/harness.js';
import { DEMO_AUDIT_KEY_FILE, loadAuditKey } from './audit-key.js';
import { AuditLog } from './audit-log.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'bff-audit-'));
  dirs.push(dir);
  return dir;
}
afterAll(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

const DELETE_NEWEST = [
  'ALTER TABLE audit_records DISABLE TRIGGER USER',
  'DELETE FROM audit_records WHERE id > 2',
  'ALTER TABLE audit_records ENABLE TRIGGER USER',
];

describe('GET /api/audit/verify and audit:verify', () => {
  it('when the newest records are deleted behind the BFF, then GET /api/audit/verify reports it', async () => {
    const t = await startTestConsole();
    try {
      const admin = await t.login('admin');
      await admin.post('/api/servers/local/whm/twofactorauth_set_issuer', { issuer: 'Co' });
      expect((await admin.get('/api/audit/verify')).json).toMatchObject({ valid: true });
      for (const sql of DELETE_NEWEST) await t.running.services.db.exec(sql);
      const verify = await admin.get('/api/audit/verify');
      expect(verify.json).toMatchObject({
        valid: false,
        count: 2,
        firstBrokenId: 3,
        problem: 'records_missing',
      });
    } finally {
      await t.close();
    }
  });

  it('when the CLI checks a demo database, then it uses the key demo mode made and reports a cut chain', async () => {
    const dir = tempDir();
    const env = parseEnv({ DATA_DIR: dir });
    const key = loadAuditKey(env);
    expect(statSync(join(dir, DEMO_AUDIT_KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(loadAuditKey(env).id).toBe(key.id);
    const db = await openEnvDatabase(env);
    try {
      await migrate(db);
      const log = new AuditLog(db, key);
      for (let n = 0; n < 4; n += 1) {
        await log.append({
          kind: 'session',
          operator: 'admin',
          role: 'admin',
          sourceIp: '127.0.0.1',
          server: null,
          function: null,
          target: [],
          reason: null,
          requestId: null,
          outcome: 'success',
          detail: { n },
        });
      }
      for (const sql of DELETE_NEWEST) await db.exec(sql);
    } finally {
      await db.close();
    }
    expect(await verifyAuditChain({ DATA_DIR: dir })).toMatchObject({
      valid: false,
      problem: 'records_missing',
    });
  });

  it('when a real WHM is configured without AUDIT_KEY_FILE, or with a short key, then start-up stops naming it', async () => {
    const dir = tempDir();
    const real = {
      DATA_DIR: dir,
      WHM_URL: 'https://whm.example:2087',
      WHM_USER: 'root',
      WHM_TOKEN: 'x',
    };
    const missing = (() => {
      try {
        loadAuditKey(parseEnv(real));
      } catch (error) {
        return error;
      }
    })();
    expect(missing).toBeInstanceOf(EnvError);
    expect((missing as EnvError).variable).toBe('AUDIT_KEY_FILE');
    writeFileSync(join(dir, 'short.key'), 'abc');
    expect(() =>
      loadAuditKey(parseEnv({ ...real, AUDIT_KEY_FILE: join(dir, 'short.key') })),
    ).toThrow(/AUDIT_KEY_FILE.*at least 32/);
    await expect(startTestConsole({ env: { ...real, AUDIT_KEY_FILE: '' } })).rejects.toThrow(
      /AUDIT_KEY_FILE/,
    );
  });
});
