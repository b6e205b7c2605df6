import type { Queryable } from '../db/database.js';

export interface SessionRecord {
  idHash: string;
  operatorId: number;
  createdAt: number;
  lastSeenAt: number;
  expiresAt: number;
  stepUpUntil: number | null;
  pendingTotpSecret: string | null;
  /** Where the sign-in came from, as the operator's own session list shows it. */
  sourceIp: string | null;
  userAgent: string | null;
}

interface SessionRow {
  [key: string]: unknown;
  id_hash: string;
  operator_id: number;
  created_at: string | number;
  last_seen_at: string | number;
  expires_at: string | number;
  step_up_until: string | number | null;
  pending_totp_secret: string | null;
  source_ip: string | null;
  user_agent: string | null;
}

function fromRow(row: SessionRow): SessionRecord {
  return {
    idHash: row.id_hash,
    operatorId: Number(row.operator_id),
    createdAt: Number(row.created_at),
    lastSeenAt: Number(row.last_seen_at),
    expiresAt: Number(row.expires_at),
    stepUpUntil: row.step_up_until === null ? null : Number(row.step_up_until),
    pendingTotpSecret: row.pending_totp_secret,
    sourceIp: row.source_ip,
    userAgent: row.user_agent,
  };
}

export class SessionStore {
  constructor(private readonly db: Queryable) {}

  async insert(session: SessionRecord): Promise<void> {
    await this.db.query(
      `INSERT INTO sessions (id_hash, operator_id, created_at, last_seen_at, expires_at, source_ip,
         user_agent)
       VALUES ($1, $2, $3, $4, $5, $6, $7)`,
      [
        session.idHash,
        session.operatorId,
        session.createdAt,
        session.lastSeenAt,
        session.expiresAt,
        session.sourceIp,
        session.userAgent,
      ],
    );
  }

  async get(idHash: string): Promise<SessionRecord | undefined> {
    const rows = await this.db.query<SessionRow>('SELECT * FROM sessions WHERE id_hash = $1', [
      idHash,
    ]);
    return rows[0] && fromRow(rows[0]);
  }

  async touch(idHash: string, at: number): Promise<void> {
    await this.db.query('UPDATE sessions SET last_seen_at = $2 WHERE id_hash = $1', [idHash, at]);
  }

  async setStepUp(idHash: string, until: number): Promise<void> {
    await this.db.query('UPDATE sessions SET step_up_until = $2 WHERE id_hash = $1', [
      idHash,
      until,
    ]);
  }

  async setPendingTotp(idHash: string, secret: string | null): Promise<void> {
    await this.db.query('UPDATE sessions SET pending_totp_secret = $2 WHERE id_hash = $1', [
      idHash,
      secret,
    ]);
  }

  async delete(idHash: string): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE id_hash = $1', [idHash]);
  }

  async deleteForOperator(operatorId: number): Promise<number> {
    const rows = await this.db.query(
      'DELETE FROM sessions WHERE operator_id = $1 RETURNING id_hash',
      [operatorId],
    );
    return rows.length;
  }

  /** An operator's sessions, newest first. */
  async listForOperator(operatorId: number): Promise<SessionRecord[]> {
    const rows = await this.db.query<SessionRow>(
      'SELECT * FROM sessions WHERE operator_id = $1 ORDER BY created_at DESC',
      [operatorId],
    );
    return rows.map(fromRow);
  }

  /** Ends every session of an operator but one (the caller's own). */
  async deleteForOperatorExcept(operatorId: number, keepIdHash: string): Promise<number> {
    const rows = await this.db.query(
      'DELETE FROM sessions WHERE operator_id = $1 AND id_hash <> $2 RETURNING id_hash',
      [operatorId, keepIdHash],
    );
    return rows.length;
  }

  /** Sessions neither expired nor idle past `idleMs` (the metrics' active sessions). */
  async countActive(now: number, idleMs: number): Promise<number> {
    const rows = await this.db.query<{ active: string | number }>(
      'SELECT count(*) AS active FROM sessions WHERE expires_at > $1 AND last_seen_at > $2',
      [now, now - idleMs],
    );
    return Number(rows[0]?.active ?? 0);
  }

  async purgeExpired(now: number, idleMs: number): Promise<void> {
    await this.db.query('DELETE FROM sessions WHERE expires_at <= $1 OR last_seen_at <= $2', [
      now,
      now - idleMs,
    ]);
  }
}
