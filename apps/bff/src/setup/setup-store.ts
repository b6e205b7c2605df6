import type { Queryable } from '../db/database.js';

/** A printed setup link's token, as kept: its hash and when it stops working. */
export interface SetupTokenRecord {
  tokenHash: string;
  createdAt: number;
  expiresAt: number;
}

interface SetupTokenRow {
  [key: string]: unknown;
  token_hash: string;
  created_at: string | number;
  expires_at: string | number;
}

/** How long an expired token is kept, so using it says "expired" rather than "wrong". */
const KEEP_EXPIRED_MS = 24 * 3_600_000;

export class SetupStore {
  constructor(private readonly db: Queryable) {}

  async insert(record: SetupTokenRecord): Promise<void> {
    await this.db.query(
      'INSERT INTO setup_tokens (token_hash, created_at, expires_at) VALUES ($1, $2, $3)',
      [record.tokenHash, record.createdAt, record.expiresAt],
    );
  }

  async byHash(tokenHash: string): Promise<SetupTokenRecord | undefined> {
    const rows = await this.db.query<SetupTokenRow>(
      'SELECT * FROM setup_tokens WHERE token_hash = $1',
      [tokenHash],
    );
    const row = rows[0];
    return (
      row && {
        tokenHash: row.token_hash,
        createdAt: Number(row.created_at),
        expiresAt: Number(row.expires_at),
      }
    );
  }

  async purgeExpired(now: number): Promise<void> {
    await this.db.query('DELETE FROM setup_tokens WHERE expires_at <= $1', [now - KEEP_EXPIRED_MS]);
  }

  /** Every link, printed by any instance: setup is closed once an operator exists. */
  async deleteAll(): Promise<void> {
    await this.db.query('DELETE FROM setup_tokens');
  }
}
