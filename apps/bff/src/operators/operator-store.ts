import type { Queryable } from '../db/database.js';

export const roles = ['admin', 'support', 'viewer'] as const;
export type Role = (typeof roles)[number];

export interface OperatorRecord {
  id: number;
  username: string;
  passwordHash: string;
  role: Role;
  disabled: boolean;
  totpSecret: string | null;
  totpLastStep: number | null;
  createdAt: number;
  lastLoginAt: number | null;
  /** Start of this operator's TOTP grace period when an admin restarted it; else createdAt. */
  totpGraceFrom: number | null;
  /** `issuer subject` of an operator the identity provider made (no console password); else null. */
  ssoSubject: string | null;
  /** Servers this operator may use, by tag; null: every server. */
  serverTags: readonly string[] | null;
}

/** What the API shows of an operator. */
export interface OperatorView {
  id: number;
  username: string;
  role: Role;
  totpEnabled: boolean;
  /** Signs in through the identity provider (and steps up there). */
  sso: boolean;
  /** Limited to servers with one of these tags; null: every server. */
  serverTags: readonly string[] | null;
}

export function operatorView(record: OperatorRecord): OperatorView {
  return {
    id: record.id,
    username: record.username,
    role: record.role,
    totpEnabled: record.totpSecret !== null,
    sso: record.ssoSubject !== null,
    serverTags: record.serverTags,
  };
}

interface OperatorRow {
  [key: string]: unknown;
  id: number;
  username: string;
  password_hash: string;
  role: Role;
  disabled: boolean;
  totp_secret: string | null;
  totp_last_step: string | number | null;
  created_at: string | number;
  last_login_at: string | number | null;
  totp_grace_from: string | number | null;
  sso_subject: string | null;
  server_tags: string | null;
}

const nullableNumber = (value: string | number | null): number | null =>
  value === null ? null : Number(value);

function fromRow(row: OperatorRow): OperatorRecord {
  return {
    id: Number(row.id),
    username: row.username,
    passwordHash: row.password_hash,
    role: row.role,
    disabled: row.disabled,
    totpSecret: row.totp_secret,
    totpLastStep: nullableNumber(row.totp_last_step),
    createdAt: Number(row.created_at),
    lastLoginAt: nullableNumber(row.last_login_at),
    totpGraceFrom: nullableNumber(row.totp_grace_from),
    ssoSubject: row.sso_subject,
    serverTags: row.server_tags === null ? null : (JSON.parse(row.server_tags) as string[]),
  };
}

export class OperatorStore {
  constructor(private readonly db: Queryable) {}

  async byUsername(username: string): Promise<OperatorRecord | undefined> {
    const rows = await this.db.query<OperatorRow>('SELECT * FROM operators WHERE username = $1', [
      username,
    ]);
    return rows[0] && fromRow(rows[0]);
  }

  async bySsoSubject(subject: string): Promise<OperatorRecord | undefined> {
    const rows = await this.db.query<OperatorRow>(
      'SELECT * FROM operators WHERE sso_subject = $1',
      [subject],
    );
    return rows[0] && fromRow(rows[0]);
  }

  /** Inserts an operator the identity provider vouches for, unless the username exists. */
  async insertSso(input: {
    username: string;
    role: Role;
    ssoSubject: string;
  }): Promise<OperatorRecord | undefined> {
    // No password: this hash format verifies nothing (argon2 refuses it), so only the provider lets
    // this operator in, until an admin gives it a break-glass password.
    const rows = await this.db.query<OperatorRow>(
      `INSERT INTO operators (username, password_hash, role, created_at, sso_subject)
       VALUES ($1, '!sso', $2, $3, $4)
       ON CONFLICT DO NOTHING RETURNING *`,
      [input.username, input.role, Date.now(), input.ssoSubject],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async byId(id: number): Promise<OperatorRecord | undefined> {
    const rows = await this.db.query<OperatorRow>('SELECT * FROM operators WHERE id = $1', [id]);
    return rows[0] && fromRow(rows[0]);
  }

  async list(): Promise<(OperatorRecord & { activeSessions: number })[]> {
    const rows = await this.db.query<OperatorRow & { active_sessions: string | number }>(
      `SELECT o.*, (SELECT count(*) FROM sessions s WHERE s.operator_id = o.id AND s.expires_at > $1) AS active_sessions
       FROM operators o ORDER BY o.username`,
      [Date.now()],
    );
    return rows.map((row) => ({ ...fromRow(row), activeSessions: Number(row.active_sessions) }));
  }

  async count(): Promise<number> {
    const rows = await this.db.query<{ n: string | number }>('SELECT count(*) AS n FROM operators');
    return Number(rows[0]?.n ?? 0);
  }

  /** Inserts unless the username exists; returns the new record or undefined. */
  async insert(input: {
    username: string;
    passwordHash: string;
    role: Role;
  }): Promise<OperatorRecord | undefined> {
    const rows = await this.db.query<OperatorRow>(
      `INSERT INTO operators (username, password_hash, role, created_at) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO NOTHING RETURNING *`,
      [input.username, input.passwordHash, input.role, Date.now()],
    );
    return rows[0] && fromRow(rows[0]);
  }

  /** Sets the servers an operator may use by tag (null: all of them). */
  async setServerTags(
    id: number,
    tags: readonly string[] | null,
  ): Promise<OperatorRecord | undefined> {
    const rows = await this.db.query<OperatorRow>(
      'UPDATE operators SET server_tags = $2 WHERE id = $1 RETURNING *',
      [id, tags === null ? null : JSON.stringify([...new Set(tags)].sort())],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async update(
    id: number,
    changes: { role?: Role; disabled?: boolean; passwordHash?: string; totpGraceFrom?: number },
  ): Promise<OperatorRecord | undefined> {
    const rows = await this.db.query<OperatorRow>(
      `UPDATE operators SET role = COALESCE($2, role), disabled = COALESCE($3, disabled),
         password_hash = COALESCE($4, password_hash), totp_grace_from = COALESCE($5, totp_grace_from)
       WHERE id = $1 RETURNING *`,
      [
        id,
        changes.role ?? null,
        changes.disabled ?? null,
        changes.passwordHash ?? null,
        changes.totpGraceFrom ?? null,
      ],
    );
    return rows[0] && fromRow(rows[0]);
  }

  /** Deletes the operator (its sessions go with it: ON DELETE CASCADE); false when there was none. */
  async delete(id: number): Promise<boolean> {
    const rows = await this.db.query('DELETE FROM operators WHERE id = $1 RETURNING id', [id]);
    return rows.length === 1;
  }

  async setTotp(id: number, secret: string | null, lastStep: number | null): Promise<void> {
    await this.db.query(
      'UPDATE operators SET totp_secret = $2, totp_last_step = $3 WHERE id = $1',
      [id, secret, lastStep],
    );
  }

  /** Claims a TOTP step atomically: false when it (or a later one) was used already (replay). */
  async claimTotpStep(id: number, step: number): Promise<boolean> {
    const rows = await this.db.query(
      `UPDATE operators SET totp_last_step = $2
       WHERE id = $1 AND (totp_last_step IS NULL OR totp_last_step < $2) RETURNING id`,
      [id, step],
    );
    return rows.length === 1;
  }

  async recordLogin(id: number, at: number): Promise<void> {
    await this.db.query('UPDATE operators SET last_login_at = $2 WHERE id = $1', [id, at]);
  }
}
