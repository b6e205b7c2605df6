import { limiterOf, signal, signals } from '../metrics/signals.js';
import type { Queryable } from '../db/database.js';

export interface ThrottleRule {
  limit: number;
  windowMs: number;
}

/**
 * Attempt counters in the database, so limits hold across sessions and BFF instances. An attempt
 * is counted before the password is checked (parallel guesses cannot slip past the limit); a
 * success gives it back.
 */
export class ThrottleStore {
  constructor(private readonly db: Queryable) {}

  /** Counts one attempt; returns the seconds to wait when the key is over its limit, else null. */
  async attempt(key: string, rule: ThrottleRule, now: number): Promise<number | null> {
    const rows = await this.db.query<{ failures: number; window_start: string | number }>(
      `INSERT INTO throttle_counters (key, window_start, failures) VALUES ($1, $2, 1)
       ON CONFLICT (key) DO UPDATE SET
         failures = CASE WHEN throttle_counters.window_start <= $3 THEN 1 ELSE throttle_counters.failures + 1 END,
         window_start = CASE WHEN throttle_counters.window_start <= $3 THEN $2 ELSE throttle_counters.window_start END
       RETURNING failures, window_start`,
      [key, now, now - rule.windowMs],
    );
    const row = rows[0];
    if (!row || row.failures <= rule.limit) return null;
    signal(signals.throttle, () => ({ limiter: limiterOf(key) }));
    return Math.max(1, Math.ceil((Number(row.window_start) + rule.windowMs - now) / 1000));
  }

  /** One attempt under each key; the longest wait of those over their limit, else null. */
  async attemptAll(
    attempts: ReadonlyArray<readonly [key: string, rule: ThrottleRule]>,
    now: number,
  ): Promise<number | null> {
    const waits = await Promise.all(attempts.map(([key, rule]) => this.attempt(key, rule, now)));
    const wait = Math.max(...waits.map((value) => value ?? 0));
    return wait > 0 ? wait : null;
  }

  async forgive(key: string): Promise<void> {
    await this.db.query(
      'UPDATE throttle_counters SET failures = GREATEST(failures - 1, 0) WHERE key = $1',
      [key],
    );
  }

  async reset(key: string): Promise<void> {
    await this.db.query('DELETE FROM throttle_counters WHERE key = $1', [key]);
  }
}
