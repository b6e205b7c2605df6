import { createHash } from 'node:crypto';
import type { Database, Row } from '../db/database.js';
import { neutralise } from './unsafe-text.js';

export const auditKinds = ['intent', 'outcome', 'denied', 'session', 'operator'] as const;
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

export interface ChainVerification {
  valid: boolean;
  count: number;
  firstBrokenId: number | null;
}

export const GENESIS_HASH = '0'.repeat(64);

/** JSON with object keys sorted at every level: the same bytes for the same record, always. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value as Record<string, unknown>)
      .filter(([, item]) => item !== undefined)
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `{${entries.map(([key, item]) => `${JSON.stringify(key)}:${canonicalJson(item)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}

export function recordHash(record: Omit<AuditRecord, 'hash'>): string {
  return createHash('sha256').update(record.prevHash).update(canonicalJson(record)).digest('hex');
}

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
  prev_hash: string;
  hash: string;
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
    prevHash: row.prev_hash,
    hash: row.hash,
  };
}

/**
 * Append-only, hash-chained audit records. Appends are serialized on the `audit_head` row
 * (`FOR UPDATE`), so concurrent writers — in this process or in other instances sharing one
 * PostgreSQL — cannot fork the chain; ids are gapless.
 */
export class AuditLog {
  constructor(
    private readonly db: Database,
    private readonly clock: () => number = Date.now,
  ) {}

  async append(raw: AuditEntry): Promise<AuditRecord> {
    const entry = cleanEntry(raw);
    return this.db.transaction(async (tx) => {
      const [head] = await tx.query<{ last_id: string | number; hash: string }>(
        'SELECT last_id, hash FROM audit_head WHERE id = 1 FOR UPDATE',
      );
      if (!head) throw new Error('audit_head row is missing');
      const at = this.clock();
      const unsigned: Omit<AuditRecord, 'hash'> = {
        ...entry,
        id: Number(head.last_id) + 1,
        at: new Date(at).toISOString(),
        prevHash: head.hash,
      };
      const hash = recordHash(unsigned);
      await tx.query(
        `INSERT INTO audit_records (id, at, kind, operator, role, source_ip, server, function, target,
           reason, request_id, outcome, detail, prev_hash, hash)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)`,
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
          unsigned.prevHash,
          hash,
        ],
      );
      await tx.query('UPDATE audit_head SET last_id = $1, hash = $2 WHERE id = 1', [
        unsigned.id,
        hash,
      ]);
      return { ...unsigned, hash };
    });
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

  /** Recomputes every hash in id order and checks each link and the head. */
  async verify(): Promise<ChainVerification> {
    let prevHash = GENESIS_HASH;
    let expectedId = 1;
    let count = 0;
    const pageSize = 1000;
    for (;;) {
      const rows = await this.db.query<AuditRow>(
        'SELECT * FROM audit_records WHERE id >= $1 ORDER BY id LIMIT $2',
        [expectedId, pageSize],
      );
      for (const row of rows) {
        const record = fromRow(row);
        const { hash, ...unsigned } = record;
        if (
          record.id !== expectedId ||
          record.prevHash !== prevHash ||
          recordHash(unsigned) !== hash
        ) {
          return { valid: false, count, firstBrokenId: record.id };
        }
        prevHash = hash;
        expectedId += 1;
        count += 1;
      }
      if (rows.length < pageSize) break;
    }
    const [head] = await this.db.query<{ last_id: string | number; hash: string }>(
      'SELECT last_id, hash FROM audit_head WHERE id = 1',
    );
    if (!head || Number(head.last_id) !== count || head.hash !== prevHash) {
      return { valid: false, count, firstBrokenId: count + 1 };
    }
    return { valid: true, count, firstBrokenId: null };
  }
}
