import type { Database } from '../db/database.js';

export type TwoFactorState = 'on' | 'off' | 'unavailable';

/** One server's reading: its counts are of customer accounts (root is not a customer). */
export interface FleetReading {
  serverId: string;
  at: number;
  reachable: boolean;
  /** What failed when it was not reachable (the BFF's error text, never a token). */
  fault: string | null;
  policyEnabled: boolean | null;
  issuer: string | null;
  accounts: number;
  enrolled: number;
  withoutFeature: number;
  suspended: number;
}

export interface FleetSnapshot extends FleetReading {
  /** Failed readings in a row (the refresher backs off while it grows). */
  failures: number;
}

export interface IndexedAccount {
  user: string;
  domain: string;
  owner: string;
  plan: string;
  twoFactor: TwoFactorState;
  suspended: boolean;
}

export interface FleetMatch extends IndexedAccount {
  serverId: string;
}

export interface HistoryRow {
  serverId: string;
  at: number;
  reachable: boolean;
  accounts: number;
  enrolled: number;
  withoutFeature: number;
}

interface SnapshotRow {
  [key: string]: unknown;
  server_id: string;
  at: string | number;
  reachable: boolean;
  fault: string | null;
  policy_enabled: boolean | null;
  issuer: string | null;
  accounts: number;
  enrolled: number;
  without_feature: number;
  suspended: number;
  failures: number;
}

/** `%`, `_` and `\` taken literally in a LIKE pattern. */
function likeLiteral(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

export class FleetStore {
  constructor(private readonly db: Database) {}

  async snapshots(): Promise<FleetSnapshot[]> {
    const rows = await this.db.query<SnapshotRow>('SELECT * FROM fleet_snapshots');
    return rows.map((row) => ({
      serverId: row.server_id,
      at: Number(row.at),
      reachable: row.reachable,
      fault: row.fault,
      policyEnabled: row.policy_enabled,
      issuer: row.issuer,
      accounts: Number(row.accounts),
      enrolled: Number(row.enrolled),
      withoutFeature: Number(row.without_feature),
      suspended: Number(row.suspended),
      failures: Number(row.failures),
    }));
  }

  /**
   * A successful reading: the snapshot, a history row and the server's accounts in the index, in
   * one transaction (a search never sees half a server). Answers how many index rows changed.
   */
  async recordReading(reading: FleetReading, accounts: readonly IndexedAccount[]): Promise<number> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO fleet_snapshots (server_id, at, reachable, fault, policy_enabled, issuer,
           accounts, enrolled, without_feature, suspended, failures)
         VALUES ($1, $2, true, NULL, $3, $4, $5, $6, $7, $8, 0)
         ON CONFLICT (server_id) DO UPDATE SET at = EXCLUDED.at, reachable = true, fault = NULL,
           policy_enabled = EXCLUDED.policy_enabled, issuer = EXCLUDED.issuer,
           accounts = EXCLUDED.accounts, enrolled = EXCLUDED.enrolled,
           without_feature = EXCLUDED.without_feature, suspended = EXCLUDED.suspended, failures = 0`,
        [
          reading.serverId,
          reading.at,
          reading.policyEnabled,
          reading.issuer,
          reading.accounts,
          reading.enrolled,
          reading.withoutFeature,
          reading.suspended,
        ],
      );
      await this.insertHistory(tx, reading);
      // Only what changed is written: most rounds change almost nothing, and rewriting 200,000
      // rows a round leaves as many dead rows and a long pending list in the trigram indexes,
      // which every search then has to wade through.
      const columns = [
        accounts.map((a) => a.user),
        accounts.map((a) => a.domain),
        accounts.map((a) => a.owner),
        accounts.map((a) => a.plan),
        accounts.map((a) => a.twoFactor),
        accounts.map((a) => a.suspended),
      ];
      const [deleted] = await tx.query<{ n: number }>(
        `WITH gone AS (
           DELETE FROM fleet_accounts f
           WHERE f.server_id = $1
             AND NOT EXISTS (SELECT 1 FROM unnest($2::text[]) AS i(username) WHERE i.username = f.username)
           RETURNING 1)
         SELECT count(*)::int AS n FROM gone`,
        [reading.serverId, columns[0]],
      );
      if (accounts.length === 0) return deleted?.n ?? 0;
      // One statement for the whole server: arrays, not thousands of round trips.
      const [written] = await tx.query<{ n: number }>(
        `WITH written AS (
           INSERT INTO fleet_accounts AS f (server_id, username, domain, owner, plan, two_factor, suspended)
           SELECT $1, * FROM unnest($2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::boolean[])
           ON CONFLICT (server_id, username) DO UPDATE SET domain = EXCLUDED.domain,
             owner = EXCLUDED.owner, plan = EXCLUDED.plan, two_factor = EXCLUDED.two_factor,
             suspended = EXCLUDED.suspended
           WHERE (f.domain, f.owner, f.plan, f.two_factor, f.suspended)
             IS DISTINCT FROM (EXCLUDED.domain, EXCLUDED.owner, EXCLUDED.plan,
               EXCLUDED.two_factor, EXCLUDED.suspended)
           RETURNING 1)
         SELECT count(*)::int AS n FROM written`,
        [reading.serverId, ...columns],
      );
      return (deleted?.n ?? 0) + (written?.n ?? 0);
    });
  }

  /**
   * Fresh planner statistics for the index. Without them, right after the first round wrote
   * 200,000 rows, PostgreSQL planned searches for an empty table (p95 122 ms instead of 20) until
   * autovacuum came by a minute later; PGlite has no autovacuum at all.
   */
  async analyzeIndex(): Promise<void> {
    await this.db.query('ANALYZE fleet_accounts');
  }

  /** A failed reading: the last good counts stay (and the index), marked unreachable with why. */
  async recordFailure(serverId: string, at: number, fault: string): Promise<void> {
    await this.db.transaction(async (tx) => {
      await tx.query(
        `INSERT INTO fleet_snapshots (server_id, at, reachable, fault, accounts, enrolled,
           without_feature, suspended, failures)
         VALUES ($1, $2, false, $3, 0, 0, 0, 0, 1)
         ON CONFLICT (server_id) DO UPDATE SET at = EXCLUDED.at, reachable = false,
           fault = EXCLUDED.fault, failures = fleet_snapshots.failures + 1`,
        [serverId, at, fault.slice(0, 300)],
      );
      await tx.query(
        `INSERT INTO fleet_history (server_id, at, reachable, policy_enabled, accounts, enrolled,
           without_feature)
         SELECT server_id, at, false, policy_enabled, accounts, enrolled, without_feature
         FROM fleet_snapshots WHERE server_id = $1
         ON CONFLICT DO NOTHING`,
        [serverId],
      );
    });
  }

  private async insertHistory(
    tx: { query: Database['query'] },
    reading: FleetReading,
  ): Promise<void> {
    await tx.query(
      `INSERT INTO fleet_history (server_id, at, reachable, policy_enabled, accounts, enrolled,
         without_feature)
       VALUES ($1, $2, $3, $4, $5, $6, $7) ON CONFLICT DO NOTHING`,
      [
        reading.serverId,
        reading.at,
        reading.reachable,
        reading.policyEnabled,
        reading.accounts,
        reading.enrolled,
        reading.withoutFeature,
      ],
    );
  }

  /** History rows already made up (the demo's 90 days), in one statement. */
  async insertHistoryRows(rows: readonly (HistoryRow & { policyEnabled: boolean | null })[]) {
    if (rows.length === 0) return;
    await this.db.query(
      `INSERT INTO fleet_history (server_id, at, reachable, policy_enabled, accounts, enrolled,
         without_feature)
       SELECT * FROM unnest($1::text[], $2::bigint[], $3::boolean[], $4::boolean[], $5::int[],
         $6::int[], $7::int[])
       ON CONFLICT DO NOTHING`,
      [
        rows.map((r) => r.serverId),
        rows.map((r) => r.at),
        rows.map((r) => r.reachable),
        rows.map((r) => r.policyEnabled),
        rows.map((r) => r.accounts),
        rows.map((r) => r.enrolled),
        rows.map((r) => r.withoutFeature),
      ],
    );
  }

  async history(since: number): Promise<HistoryRow[]> {
    const rows = await this.db.query<{
      server_id: string;
      at: string | number;
      reachable: boolean;
      accounts: number;
      enrolled: number;
      without_feature: number;
    }>(
      `SELECT server_id, at, reachable, accounts, enrolled, without_feature FROM fleet_history
       WHERE at >= $1 ORDER BY at`,
      [since],
    );
    return rows.map((row) => ({
      serverId: row.server_id,
      at: Number(row.at),
      reachable: row.reachable,
      accounts: Number(row.accounts),
      enrolled: Number(row.enrolled),
      withoutFeature: Number(row.without_feature),
    }));
  }

  /** Accounts whose user or domain contains `text` (case-insensitive), on the given servers. */
  async search(text: string, serverIds: readonly string[], limit: number): Promise<FleetMatch[]> {
    const pattern = `%${likeLiteral(text.toLowerCase())}%`;
    const rows = await this.db.query<{
      server_id: string;
      username: string;
      domain: string;
      owner: string;
      plan: string;
      two_factor: TwoFactorState;
      suspended: boolean;
    }>(
      // The servers as a set to join, not `server_id = ANY(…)`: with that, PostgreSQL took the
      // primary key for the server list (every row, for an operator who may use them all) over
      // the trigram indexes, 130 ms instead of 20 at 200,000 accounts.
      `SELECT * FROM fleet_accounts
       WHERE (lower(username) LIKE $1 ESCAPE '\\' OR lower(domain) LIKE $1 ESCAPE '\\')
         AND server_id IN (SELECT unnest($2::text[]))
       ORDER BY (lower(username) = $3) DESC, username, server_id
       LIMIT $4`,
      [pattern, serverIds, text.toLowerCase(), limit],
    );
    return rows.map((row) => ({
      serverId: row.server_id,
      user: row.username,
      domain: row.domain,
      owner: row.owner,
      plan: row.plan,
      twoFactor: row.two_factor,
      suspended: row.suspended,
    }));
  }

  /** Forgets servers no longer configured (their snapshot, history and index). */
  async forgetAllBut(serverIds: readonly string[]): Promise<void> {
    for (const table of ['fleet_snapshots', 'fleet_history', 'fleet_accounts']) {
      await this.db.query(`DELETE FROM ${table} WHERE NOT (server_id = ANY($1::text[]))`, [
        serverIds,
      ]);
    }
  }
}
