import type { PGlite as PGliteType } from '@electric-sql/pglite';
import pg from 'pg';

export type Row = Record<string, unknown>;

/** One small query interface over PGlite and PostgreSQL: `$1` placeholders, one dialect. */
export interface Queryable {
  query<T extends Row = Row>(sql: string, params?: readonly unknown[]): Promise<T[]>;
  /** Runs a script of several statements without parameters (migrations). */
  exec(sql: string): Promise<void>;
}

export interface Database extends Queryable {
  readonly kind: 'pglite' | 'postgres';
  transaction<T>(work: (tx: Queryable) => Promise<T>): Promise<T>;
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; without it, PGlite. */
  url?: string;
  /** PGlite data directory; without it, an in-memory database. */
  dataDir?: string;
  /** PostgreSQL schema to use (created when missing): keeps test files apart. */
  schema?: string;
  maxConnections?: number;
}

export async function openDatabase(options: OpenDatabaseOptions): Promise<Database> {
  return options.url ? openPostgres(options.url, options) : openPglite(options.dataDir);
}

/**
 * PGlite's memory: PostgreSQL's default `shared_buffers` (128 MB) lives inside the WebAssembly
 * heap, which never shrinks. The console's working set is a few MB of operators, sessions and
 * audit records, so 16 MB of buffers is plenty (docs/decisions/005).
 */
export const PGLITE_TUNING = ['-c', 'shared_buffers=16MB', '-c', 'temp_buffers=1MB'];

async function openPglite(dataDir: string | undefined): Promise<Database> {
  // Loaded only when used: with DATABASE_URL, PGlite's code stays out of the process.
  const { PGlite } = await import('@electric-sql/pglite');
  // pg_trgm: the fleet search's index (migration 008), as PostgreSQL's contrib has it.
  const { pg_trgm } = await import('@electric-sql/pglite/contrib/pg_trgm');
  const db: PGliteType = await PGlite.create(dataDir, {
    startParams: [...PGlite.defaultStartParams, ...PGLITE_TUNING],
    extensions: { pg_trgm },
  });
  return {
    kind: 'pglite',
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await db.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await db.exec(sql);
    },
    transaction<T>(work: (tx: Queryable) => Promise<T>) {
      return db.transaction(async (tx) =>
        work({
          async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
            return (await tx.query<R>(sql, params as unknown[])).rows;
          },
          async exec(sql: string) {
            await tx.exec(sql);
          },
        }),
      );
    },
    async ping() {
      await db.query('SELECT 1');
    },
    async close() {
      await db.close();
    },
  };
}

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

async function openPostgres(url: string, options: OpenDatabaseOptions): Promise<Database> {
  if (options.schema !== undefined && !SCHEMA_NAME.test(options.schema)) {
    throw new Error(`invalid schema name ${options.schema}`);
  }
  if (options.schema) {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      await admin.query(`CREATE SCHEMA IF NOT EXISTS ${options.schema}`);
    } finally {
      await admin.end();
    }
  }
  const pool = new pg.Pool({
    connectionString: url,
    max: options.maxConnections ?? 10,
    ...(options.schema ? { options: `-c search_path=${options.schema}` } : {}),
  });
  // An idle client that loses its server must not crash the process.
  pool.on('error', () => undefined);
  return {
    kind: 'postgres',
    async query<T extends Row>(sql: string, params: readonly unknown[] = []) {
      const result = await pool.query<T>(sql, params as unknown[]);
      return result.rows;
    },
    async exec(sql: string) {
      await pool.query(sql);
    },
    async transaction<T>(work: (tx: Queryable) => Promise<T>) {
      const client = await pool.connect();
      try {
        await client.query('BEGIN');
        const value = await work({
          async query<R extends Row>(sql: string, params: readonly unknown[] = []) {
            return (await client.query<R>(sql, params as unknown[])).rows;
          },
          async exec(sql: string) {
            await client.query(sql);
          },
        });
        await client.query('COMMIT');
        return value;
      } catch (error) {
        await client.query('ROLLBACK').catch(() => undefined);
        throw error;
      } finally {
        client.release();
      }
    },
    async ping() {
      await pool.query('SELECT 1');
    },
    async close() {
      await pool.end();
    },
  };
}
