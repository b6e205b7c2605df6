import { signal, signals } from '../metrics/signals.js';
import type { Database, Queryable, Row } from '../db/database.js';
import {
  canonicalJson,
  GENESIS_HASH,
  headMac,
  recordHash,
  sameMac,
  type ChainAlgorithm,
} from './audit-chain.js';
import type { AuditKey } from './audit-key.js';
import { DenialThrottle } from './denials.js';
import { neutralise } from './unsafe-text.js';

export const auditKinds = ['intent', 'outcome', 'denied', 'session', 'operator', 'chain'] as const;
export type AuditKind = (typeof auditKinds)[number];
export const auditOutcomes = ['success', 'partial', 'failure', 'unknown'] as const;
export type AuditOutcome = (typeof auditOutcomes)[number];

export interface AuditEntry {
  kind: AuditKind;
  operator: string | null;
  role: string | null;
  sourceIp: string | null;
  server: string | null;
  function: string | null;
  target: string[];
  reason: string | null;
  requestId: string | null;
  outcome: AuditOutcome | null;
  detail: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: number;
  at: string;
  chain: ChainAlgorithm;
  prevHash: string;
  hash: string;
}

export interface AuditFilters {
  operator?: string;
  /** Only records of these kinds (e.g. all but `session` to hide sign-ins). */
  kind?: AuditKind[];
  function?: string;
  outcome?: AuditOutcome;
  target?: string;
  from?: number;
  to?: number;
  before?: number;
  limit: number;
}

/**
 * What verification found. `record_altered`: a record's hash, link or order is wrong
 * (`firstBrokenId`); `head_missing`: the head row is gone; `records_missing`: the head says
 * there are more records than there are (the newest were deleted); `head_mismatch`: the head
 * does not point at the last record; `head_unkeyed`: the head carries no MAC (not yet sealed
 * under AUDIT_KEY_FILE, or stripped); `head_forged`: its MAC is wrong (another key, or a head
 * moved by someone without the key).
 */
export type ChainProblem =
  | 'record_altered'
  | 'head_missing'
  | 'records_missing'
  | 'head_mismatch'
  | 'head_unkeyed'
  | 'head_forged';

export interface ChainVerification {
  valid: boolean;
  count: number;
  firstBrokenId: number | null;
  problem: ChainProblem | null;
  /** The first keyed record's id (null when none is). */
  keyedFrom: number | null;
}

export { canonicalJson, GENESIS_HASH };

/** Every text field of a record, however deep, through `neutralise` (unsafe-text.ts). */
function clean<T>(value: T): T {
  if (typeof value === 'string') return neutralise(value) as T;
  if (Array.isArray(value)) return value.map(clean) as T;
  if (value !== null && typeof value === 'object') {
    return Object.fromEntries(
      Object.entries(value as Record<string, unknown>).map(([key, item]) => [
        clean(key),
        clean(item),
      ]),
    ) as T;
  }
  return value;
}

function cleanEntry(entry: AuditEntry): AuditEntry {
  return clean(entry);
}

interface AuditRow extends Row {
  id: string | number;
  at: string | number;
  kind: AuditKind;
  operator: string | null;
  role: string | null;
  source_ip: string | null;
  server: string | null;
  function: string | null;
  target: string;
  reason: string | null;
  request_id: string | null;
  outcome: AuditOutcome | null;
  detail: string;
  chain: ChainAlgorithm;
  prev_hash: string;
  hash: string;
}

interface HeadRow extends Row {
  last_id: string | number;
  hash: string;
  mac: string | null;
}

function fromRow(row: AuditRow): AuditRecord {
  return {
    id: Number(row.id),
    at: new Date(Number(row.at)).toISOString(),
    kind: row.kind,
    operator: row.operator,
    role: row.role,
    sourceIp: row.source_ip,
    server: row.server,
    function: row.function,
    target: JSON.parse(row.target) as string[],
    reason: row.reason,
    requestId: row.request_id,
    outcome: row.outcome,
    detail: JSON.parse(row.detail) as Record<string, unknown>,
    chain: row.chain,
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Append-only, hash-chained audit records, keyed with HMAC (SECURITY.md 28, ADR 009). Appends are
 * serialized on the `audit_head` row (`FOR UPDATE`), so concurrent writers — in this process or
 * in other instances sharing one PostgreSQL — cannot fork the chain; ids are gapless.
 */
export class AuditLog {
  private readonly denials: DenialThrottle;

  constructor(
    private readonly db: Database,
    private readonly key: AuditKey,
    private readonly clock: () => number = Date.now,
  ) {
    this.denials = new DenialThrottle(db, clock, (entry, tx) =>
      tx ? this.appendIn(tx, entry) : this.append(entry),
    );
  }

  append(raw: AuditEntry): Promise<AuditRecord> {
    return this.db.transaction((tx) => this.appendIn(tx, raw));
  }

  /**
   * Appends a record and runs `alongside` in the same transaction: what the record causes (a
   * message in the mail outbox) is kept exactly when the record is.
   */
  appendWith<T>(
    raw: AuditEntry,
    alongside: (tx: Queryable, record: AuditRecord) => Promise<T>,
  ): Promise<T> {
    return this.db.transaction(async (tx) => alongside(tx, await this.appendIn(tx, raw)));
  }

  /**
   * A refused request, throttled per operator (per address when anonymous) before it is written:
   * the first ones in a window each get a record, the rest one summary (denials.ts).
   */
  appendDenied(raw: AuditEntry): Promise<void> {
    return this.denials.record(cleanEntry(raw));
  }

  /** Writes the summaries of finished denial windows (the console runs it every window). */
  flushDenials(): Promise<void> {
    return this.denials.flush();
  }

  /**
   * Seals an unkeyed chain under the key, once: a fresh chain's head gets its MAC; an old one
   * (SHA-256 only, from before the key) gets a `chain` record, whose HMAC covers all before it.
   * A head with a MAC, or a chain that already holds keyed records, is left for `verify` to judge:
   * sealing it again would sign whatever someone made of it.
   */
  async seal(): Promise<'keyed' | 'sealed' | 'left_for_verify'> {
    return this.db.transaction(async (tx) => {
      const head = await this.lockHead(tx);
      const lastId = Number(head.last_id);
      if (sameMac(head.mac, headMac(this.key, lastId, head.hash))) return 'keyed';
      if (head.mac !== null) return 'left_for_verify';
      const keyed = await tx.query("SELECT 1 FROM audit_records WHERE chain <> 'sha256' LIMIT 1");
      if (keyed.length > 0) return 'left_for_verify';
      if (lastId === 0) {
        await tx.query('UPDATE audit_head SET mac = $1 WHERE id = 1', [
          headMac(this.key, 0, head.hash),
        ]);
        return 'keyed';
      }
      await this.appendIn(tx, {
        kind: 'chain',
        operator: null,
        role: null,
        sourceIp: null,
        server: null,
        function: null,
        target: [],
        reason: null,
        requestId: null,
        outcome: null,
        detail: { event: 'keyed', previous: 'sha256', keyId: this.key.id, sealed: lastId },
      });
      return 'sealed';
    });
  }

  private async lockHead(tx: Queryable): Promise<HeadRow> {
    const [head] = await tx.query<HeadRow>(
      'SELECT last_id, hash, mac FROM audit_head WHERE id = 1 FOR UPDATE',
    );
    if (!head) throw new Error('audit_head row is missing');
    return head;
  }

  private async appendIn(tx: Queryable, raw: AuditEntry): Promise<AuditRecord> {
    const entry = cleanEntry(raw);
    const head = await this.lockHead(tx);
    const at = this.clock();
    const unsigned: Omit<AuditRecord, 'hash'> = {
      ...entry,
      id: Number(head.last_id) + 1,
      at: new Date(at).toISOString(),
      chain: 'hmac-sha256',
      prevHash: head.hash,
    };
    const hash = recordHash(unsigned, this.key);
    // Counted as written in its transaction (one that then fails is counted too: rare, and
    // counting after commit would need a hook on every caller's transaction).
    signal(signals.auditWrite, () => ({ kind: entry.kind, outcome: entry.outcome ?? 'none' }));
    await tx.query(
      `INSERT INTO audit_records (id, at, kind, operator, role, source_ip, server, function, target,
         reason, request_id, outcome, detail, chain, prev_hash, hash)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16)`,
      [
        unsigned.id,
        at,
        entry.kind,
        entry.operator,
        entry.role,
        entry.sourceIp,
        entry.server,
        entry.function,
        JSON.stringify(entry.target),
        entry.reason,
        entry.requestId,
        entry.outcome,
        canonicalJson(entry.detail),
        unsigned.chain,
        unsigned.prevHash,
        hash,
      ],
    );
    await tx.query('UPDATE audit_head SET last_id = $1, hash = $2, mac = $3 WHERE id = 1', [
      unsigned.id,
      hash,
      headMac(this.key, unsigned.id, hash),
    ]);
    return { ...unsigned, hash };
  }

  async list(
    filters: AuditFilters,
  ): Promise<{ records: AuditRecord[]; nextBefore: number | null }> {
    const where: string[] = [];
    const params: unknown[] = [];
    const add = (clause: string, value: unknown) => {
      params.push(value);
      where.push(clause.replace('?', `$${params.length}`));
    };
    if (filters.operator !== undefined) add('operator = ?', filters.operator);
    if (filters.function !== undefined) add('function = ?', filters.function);
    if (filters.outcome !== undefined) add('outcome = ?', filters.outcome);
    if (filters.kind !== undefined) add('kind = ANY(?)', filters.kind);
    if (filters.target !== undefined) {
      // Matched inside the stored JSON array with the value encoded as it is stored there (quotes
      // escaped), so a substring never spans two names; case-insensitive.
      add(
        'strpos(lower(target), ?) > 0',
        JSON.stringify(filters.target.toLowerCase()).slice(1, -1),
      );
    }
    if (filters.from !== undefined) add('at >= ?', filters.from);
    if (filters.to !== undefined) add('at <= ?', filters.to);
    if (filters.before !== undefined) add('id < ?', filters.before);
    params.push(filters.limit + 1);
    const rows = await this.db.query<AuditRow>(
      `SELECT * FROM audit_records ${where.length ? `WHERE ${where.join(' AND ')}` : ''}
       ORDER BY id DESC LIMIT $${params.length}`,
      params,
    );
    const records = rows.slice(0, filters.limit).map(fromRow);
    const last = records.at(-1);
    return { records, nextBefore: rows.length > filters.limit && last ? last.id : null };
  }

  /** Recomputes every hash in id order and checks each link, the order of algorithms and the head. */
  async verify(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let expectedId = 1;
    let count = 0;
    let keyedFrom: number | null = null;
    const broken = (problem: ChainProblem, firstBrokenId: number): ChainVerification => ({
      valid: false,
      count,
      firstBrokenId,
      problem,
      keyedFrom,
    });
    const pageSize = 1000;
    for (;;) {
      const rows = await this.db.query<AuditRow>(
        'SELECT * FROM audit_records WHERE id >= $1 ORDER BY id LIMIT $2',
        [expectedId, pageSize],
      );
      for (const row of rows) {
        const record = fromRow(row);
        const { hash, ...unsigned } = record;
        const downgraded = keyedFrom !== null && record.chain !== 'hmac-sha256';
        if (
          record.id !== expectedId ||
          record.prevHash !== prevHash ||
          downgraded ||
          recordHash(unsigned, this.key) !== hash
        ) {
          return broken('record_altered', record.id);
        }
        if (keyedFrom === null && record.chain === 'hmac-sha256') keyedFrom = record.id;
        prevHash = hash;
        expectedId += 1;
        count += 1;
      }
      if (rows.length < pageSize) break;
    }
    const [head] = await this.db.query<HeadRow>(
      'SELECT last_id, hash, mac FROM audit_head WHERE id = 1',
    );
    if (!head) return broken('head_missing', count + 1);
    const lastId = Number(head.last_id);
    if (lastId > count) return broken('records_missing', count + 1);
    if (lastId !== count || head.hash !== prevHash) return broken('head_mismatch', lastId + 1);
    if (head.mac === null) return broken('head_unkeyed', count + 1);
    if (!sameMac(head.mac, headMac(this.key, lastId, head.hash))) {
      return broken('head_forged', count + 1);
    }
    return { valid: true, count, firstBrokenId: null, problem: null, keyedFrom };
  }
}
