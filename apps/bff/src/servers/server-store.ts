import type { Database } from '../db/database.js';

export interface ManagedServerRow {
  id: string;
  label: string;
  url: string;
  user: string;
  tokenSealed: string;
  ca: string | null;
  tags: string[];
  disabled: boolean;
  createdAt: number;
  updatedAt: number;
}

interface Row {
  [key: string]: unknown;
  id: string;
  label: string;
  url: string;
  whm_user: string;
  token_sealed: string;
  ca: string | null;
  tags: string;
  disabled: boolean;
  created_at: string | number;
  updated_at: string | number;
}

function fromRow(row: Row): ManagedServerRow {
  return {
    id: row.id,
    label: row.label,
    url: row.url,
    user: row.whm_user,
    tokenSealed: row.token_sealed,
    ca: row.ca,
    tags: JSON.parse(row.tags) as string[],
    disabled: row.disabled,
    createdAt: Number(row.created_at),
    updatedAt: Number(row.updated_at),
  };
}

export class ServerStore {
  constructor(private readonly db: Database) {}

  async list(): Promise<ManagedServerRow[]> {
    return (await this.db.query<Row>('SELECT * FROM managed_servers ORDER BY id')).map(fromRow);
  }

  async get(id: string): Promise<ManagedServerRow | undefined> {
    const rows = await this.db.query<Row>('SELECT * FROM managed_servers WHERE id = $1', [id]);
    return rows[0] && fromRow(rows[0]);
  }

  /** Inserts unless the id exists; undefined then. */
  async insert(server: ManagedServerRow): Promise<ManagedServerRow | undefined> {
    const rows = await this.db.query<Row>(
      `INSERT INTO managed_servers (id, label, url, whm_user, token_sealed, ca, tags, disabled,
         created_at, updated_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) ON CONFLICT (id) DO NOTHING RETURNING *`,
      [
        server.id,
        server.label,
        server.url,
        server.user,
        server.tokenSealed,
        server.ca,
        JSON.stringify(server.tags),
        server.disabled,
        server.createdAt,
        server.updatedAt,
      ],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async replace(server: ManagedServerRow): Promise<ManagedServerRow | undefined> {
    const rows = await this.db.query<Row>(
      `UPDATE managed_servers SET label = $2, url = $3, whm_user = $4, token_sealed = $5, ca = $6,
         tags = $7, disabled = $8, updated_at = $9 WHERE id = $1 RETURNING *`,
      [
        server.id,
        server.label,
        server.url,
        server.user,
        server.tokenSealed,
        server.ca,
        JSON.stringify(server.tags),
        server.disabled,
        server.updatedAt,
      ],
    );
    return rows[0] && fromRow(rows[0]);
  }

  async delete(id: string): Promise<boolean> {
    return (
      (await this.db.query('DELETE FROM managed_servers WHERE id = $1 RETURNING id', [id]))
        .length === 1
    );
  }
}
