import { createHash, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrations.js';
import { testDatabases } from '../testing/harness.js';
import { canonicalJson, GENESIS_HASH } from './audit-chain.js';
import { auditKeyOf } from './audit-key.js';
import { AuditLog, type AuditEntry } from './audit-log.js';

const KEY = auditKeyOf(randomBytes(32));

const entry = (n: number): AuditEntry => ({
  kind: 'outcome',
  operator: 'support',
  role: 'support',
  sourceIp: '127.0.0.1',
  server: 'local',
  function: 'twofactorauth_remove_user_config',
  target: [`user${n}`],
  reason: `ticket ${n}`,
  requestId: `req-${n}`,
  outcome: 'success',
  detail: { n },
});

interface Row {
  id: string | number;
  at: string | number;
  [column: string]: unknown;
}

/** What someone with write access but without the key can do: SHA-256 the way records were. */
function plainHash(row: Row, prevHash: string): string {
  const record = {
    id: Number(row.id),
    at: new Date(Number(row.at)).toISOString(),
    kind: row.kind,
    operator: row.operator,
    role: row.role,
    sourceIp: row.source_ip,
    server: row.server,
    function: row.function,
    target: JSON.parse(row.target as string) as unknown,
    reason: row.reason,
    requestId: row.request_id,
    outcome: row.outcome,
    detail: JSON.parse(row.detail as string) as unknown,
    prevHash,
  };
  return createHash('sha256').update(prevHash).update(canonicalJson(record)).digest('hex');
}

/** Rewrites records from `fromId` on as plain SHA-256 and moves the head to match. */
async function rechainWithoutKey(
  db: Database,
  fromId: number,
  change: (row: Row) => void,
): Promise<void> {
  const rows = await db.query<Row>('SELECT * FROM audit_records ORDER BY id');
  let prev = GENESIS_HASH;
  for (const row of rows) {
    if (Number(row.id) >= fromId) {
      if (Number(row.id) === fromId) change(row);
      const hash = plainHash(row, prev);
      await db.query(
        "UPDATE audit_records SET reason = $1, chain = 'sha256', prev_hash = $2, hash = $3 WHERE id = $4",
        [row.reason, prev, hash, row.id],
      );
      row.hash = hash;
    }
    prev = row.hash as string;
  }
  await db.query('UPDATE audit_head SET last_id = $1, hash = $2', [rows.length, prev]);
}

describe.each(testDatabases())('the keyed audit chain on $label', (database) => {
  let db: Database;
  beforeAll(async () => {
    db = await database.open();
  });
  afterAll(async () => {
    await db.close();
  });

  /** A fresh schema's worth of state for each test: the tables are emptied behind the triggers. */
  async function fresh(records: number): Promise<AuditLog> {
    await migrate(db);
    await tampering(async () => {
      await db.query('DELETE FROM audit_records');
      await db.query(`UPDATE audit_head SET last_id = 0, hash = '${GENESIS_HASH}', mac = NULL`);
    });
    const log = new AuditLog(db, KEY);
    await log.seal();
    for (let n = 1; n <= records; n += 1) await log.append(entry(n));
    return log;
  }

  async function tampering(work: () => Promise<void>): Promise<void> {
    await db.exec('ALTER TABLE audit_records DISABLE TRIGGER USER');
    await db.exec('ALTER TABLE audit_head DISABLE TRIGGER USER');
    try {
      await work();
    } finally {
      await db.exec('ALTER TABLE audit_records ENABLE TRIGGER USER');
      await db.exec('ALTER TABLE audit_head ENABLE TRIGGER USER');
    }
  }

  it('when records are appended with the key, then they are HMAC-chained and verify', async () => {
    const log = await fresh(5);
    expect(await log.verify()).toEqual({
      valid: true,
      count: 5,
      firstBrokenId: null,
      problem: null,
      keyedFrom: 1,
    });
  });

  it('when someone truncates the records or removes the head, then the database refuses', async () => {
    await fresh(2);
    await expect(db.exec('TRUNCATE audit_records')).rejects.toThrow(/append-only/);
    await expect(db.exec('TRUNCATE audit_head')).rejects.toThrow(/audit head is kept/);
    await expect(db.query('DELETE FROM audit_head')).rejects.toThrow(/audit head is kept/);
  });

  it('when a record is rewritten and the chain recomputed with plain SHA-256, then verify names it', async () => {
    const log = await fresh(8);
    await tampering(() =>
      rechainWithoutKey(db, 4, (row) => {
        row.reason = 'nothing happened';
      }),
    );
    expect(await log.verify()).toMatchObject({
      valid: false,
      firstBrokenId: 4,
      problem: 'record_altered',
    });
  });

  it('when the newest records are deleted and the head moved back to match, then verify reports the head', async () => {
    const log = await fresh(8);
    const [kept] = await db.query<Row>('SELECT id, hash FROM audit_records WHERE id = 5');
    await tampering(async () => {
      await db.query('DELETE FROM audit_records WHERE id > 5');
      await db.query('UPDATE audit_head SET last_id = 5, hash = $1', [kept!.hash]);
    });
    expect(await log.verify()).toMatchObject({ valid: false, count: 5, problem: 'head_forged' });
    await tampering(() => db.query('UPDATE audit_head SET mac = NULL').then(() => undefined));
    expect(await log.verify()).toMatchObject({ valid: false, problem: 'head_unkeyed' });
    expect(await log.seal()).toBe('left_for_verify');
  });

  it('when the newest records are deleted and the head left alone, or the head deleted, then verify says so', async () => {
    const log = await fresh(6);
    await tampering(() => db.query('DELETE FROM audit_records WHERE id > 4').then(() => undefined));
    expect(await log.verify()).toMatchObject({
      valid: false,
      count: 4,
      firstBrokenId: 5,
      problem: 'records_missing',
    });
    await tampering(() => db.query('DELETE FROM audit_head').then(() => undefined));
    expect(await log.verify()).toMatchObject({ valid: false, problem: 'head_missing' });
    await tampering(() =>
      db
        .query(`INSERT INTO audit_head (id, last_id, hash) VALUES (1, 0, '${GENESIS_HASH}')`)
        .then(() => undefined),
    );
  });

  it('when verified with another key, then the head and records do not verify', async () => {
    await fresh(3);
    const other = new AuditLog(db, auditKeyOf(randomBytes(32)));
    expect(await other.verify()).toMatchObject({ valid: false, firstBrokenId: 1 });
  });

  it('when an old SHA-256 chain meets the key, then one chain record seals it and a later rewrite of the old part is caught', async () => {
    const log = await fresh(0);
    // Records as the BFF wrote them before the key: plain SHA-256, a head without a MAC.
    await tampering(async () => {
      await db.query('UPDATE audit_head SET mac = NULL');
      let prev = GENESIS_HASH;
      for (let id = 1; id <= 4; id += 1) {
        const row: Row = {
          id,
          at: 1_700_000_000_000 + id,
          kind: 'session',
          operator: 'admin',
          role: 'admin',
          source_ip: '127.0.0.1',
          server: null,
          function: null,
          target: '[]',
          reason: null,
          request_id: `old-${id}`,
          outcome: 'success',
          detail: '{"event":"login"}',
        };
        const hash = plainHash(row, prev);
        await db.query(
          `INSERT INTO audit_records (id, at, kind, operator, role, source_ip, server, function,
             target, reason, request_id, outcome, detail, prev_hash, hash)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
          [
            id,
            row.at,
            row.kind,
            row.operator,
            row.role,
            row.source_ip,
            null,
            null,
            row.target,
          ].concat([null, row.request_id, row.outcome, row.detail, prev, hash]),
        );
        prev = hash;
      }
      await db.query('UPDATE audit_head SET last_id = 4, hash = $1', [prev]);
    });
    expect(await log.verify()).toMatchObject({ valid: false, problem: 'head_unkeyed' });
    expect(await log.seal()).toBe('sealed');
    expect(await log.seal()).toBe('keyed');
    await log.append(entry(6));
    const sealed = await log.verify();
    expect(sealed).toEqual({
      valid: true,
      count: 6,
      firstBrokenId: null,
      problem: null,
      keyedFrom: 5,
    });
    const { records } = await log.list({ limit: 10, function: undefined });
    expect(records.find((record) => record.id === 5)).toMatchObject({
      kind: 'chain',
      chain: 'hmac-sha256',
      detail: { event: 'keyed', previous: 'sha256', keyId: KEY.id, sealed: 4 },
    });
    await tampering(async () => {
      const rows = await db.query<Row>('SELECT * FROM audit_records WHERE id <= 4 ORDER BY id');
      let prev = GENESIS_HASH;
      for (const row of rows) {
        if (Number(row.id) === 2) row.operator = 'nobody';
        const hash = plainHash(row, prev);
        await db.query(
          'UPDATE audit_records SET operator = $1, prev_hash = $2, hash = $3 WHERE id = $4',
          [row.operator, prev, hash, row.id],
        );
        prev = hash;
      }
    });
    expect(await log.verify()).toMatchObject({ valid: false, firstBrokenId: 5 });
  });
});
