import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { auditKeyOf } from '../audit/audit-key.js';
import { AuditLog, type AuditEntry } from '../audit/audit-log.js';
import { ThrottleStore } from '../sessions/throttle-store.js';
import { testDatabases } from '../testing/harness.js';
import type { Database } from './database.js';
import { migrate, migrations } from './migrations.js';

const KEY = auditKeyOf(randomBytes(32));

const entry = (n: number): AuditEntry => ({
  kind: 'intent',
  operator: `op${n % 3}`,
  role: 'admin',
  sourceIp: '127.0.0.1',
  server: 'local',
  function: 'twofactorauth_set_issuer',
  target: [`user${n}`],
  reason: n % 2 ? 'ticket' : null,
  requestId: `req-${n}`,
  outcome: null,
  detail: { n, nested: { b: 2, a: [1, 'x'] } },
});

describe.each(testDatabases())('the database on $label', (database) => {
  let db: Database;
  beforeAll(async () => {
    db = await database.open();
    await migrate(db);
  });
  afterAll(async () => {
    await db.close();
  });

  it('when migrations run twice, then the second run applies nothing', async () => {
    expect(await migrate(db)).toEqual([]);
    const rows = await db.query<{ id: string }>('SELECT id FROM schema_migrations ORDER BY id');
    expect(rows.map((row) => row.id)).toEqual(migrations.map((m) => m.id));
  });

  it('when many writers append at once, then the chain does not fork and verifies', async () => {
    const logs = [new AuditLog(db, KEY), new AuditLog(db, KEY), new AuditLog(db, KEY)];
    await Promise.all(
      Array.from({ length: 60 }, (_, n) => logs[n % logs.length]!.append(entry(n))),
    );
    const verification = await logs[0]!.verify();
    expect(verification).toEqual({
      valid: true,
      count: 60,
      firstBrokenId: null,
      problem: null,
      keyedFrom: 1,
    });
    const rows = await db.query<{ id: string | number; prev_hash: string; hash: string }>(
      'SELECT id, prev_hash, hash FROM audit_records ORDER BY id',
    );
    expect(rows.map((row) => Number(row.id))).toEqual(Array.from({ length: 60 }, (_, i) => i + 1));
    const prevs = new Set(rows.map((row) => row.prev_hash));
    expect(prevs.size).toBe(60);
  });

  it('when someone tries to change or delete a record, then the database refuses', async () => {
    await expect(db.query("UPDATE audit_records SET reason = 'x' WHERE id = 1")).rejects.toThrow(
      /append-only/,
    );
    await expect(db.query('DELETE FROM audit_records WHERE id = 1')).rejects.toThrow(/append-only/);
  });

  it('when a record is altered behind the BFF’s back, then verification names it', async () => {
    await db.exec('ALTER TABLE audit_records DISABLE TRIGGER audit_records_append_only');
    await db.query("UPDATE audit_records SET reason = 'forged' WHERE id = 7");
    await db.exec('ALTER TABLE audit_records ENABLE TRIGGER audit_records_append_only');
    const verification = await new AuditLog(db, KEY).verify();
    expect(verification).toMatchObject({ valid: false, firstBrokenId: 7 });
  });

  it('when failures are counted by two instances, then the limit holds across both', async () => {
    const a = new ThrottleStore(db);
    const b = new ThrottleStore(db);
    const rule = { limit: 5, windowMs: 60_000 };
    const now = Date.now();
    const results = await Promise.all(
      Array.from({ length: 8 }, (_, i) => (i % 2 ? a : b).attempt('login:user:shared', rule, now)),
    );
    expect(results.filter((wait) => wait === null)).toHaveLength(5);
    expect(await a.attempt('login:user:shared', rule, now + 61_000)).toBeNull();
  });
});
