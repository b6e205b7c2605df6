import type { Database, Queryable } from '../db/database.js';
import { ThrottleStore, type ThrottleRule } from '../sessions/throttle-store.js';
import type { AuditEntry } from './audit-log.js';

/**
 * Denied requests recorded one by one per operator (per address when anonymous) in a window;
 * past that, one summary record when the window is over. A viewer's script that is refused in a
 * loop then writes at most this many records a minute, not one per request.
 */
export const DENIALS_RECORDED: ThrottleRule = { limit: 30, windowMs: 60_000 };
const PREFIX = 'audit-denied:';

type Append = (entry: AuditEntry, tx?: Queryable) => Promise<unknown>;

/** Counts in `throttle_counters` (ThrottleStore), so the limit holds across BFF instances. */
export class DenialThrottle {
  private readonly counters: ThrottleStore;

  constructor(
    private readonly db: Database,
    private readonly clock: () => number,
    private readonly append: Append,
    private readonly rule: ThrottleRule = DENIALS_RECORDED,
  ) {
    this.counters = new ThrottleStore(db);
  }

  async record(entry: AuditEntry): Promise<void> {
    const key = `${PREFIX}${entry.operator !== null ? `op:${entry.operator}` : `addr:${entry.sourceIp ?? ''}`}`;
    const now = this.clock();
    await this.flush(key);
    if ((await this.counters.attempt(key, this.rule, now)) === null) await this.append(entry);
  }

  /**
   * Ends finished windows (one key, or all) and writes a summary for each that went past the
   * limit. The DELETE … RETURNING hands each window to exactly one caller, in any instance.
   */
  async flush(key?: string): Promise<void> {
    const cutoff = this.clock() - this.rule.windowMs;
    await this.db.transaction(async (tx) => {
      const ended = await tx.query<{
        key: string;
        failures: number;
        window_start: string | number;
      }>(
        `DELETE FROM throttle_counters
         WHERE window_start <= $1 AND ${key === undefined ? 'starts_with(key, $2)' : 'key = $2'}
         RETURNING key, failures, window_start`,
        [cutoff, key ?? PREFIX],
      );
      for (const row of ended) {
        const more = row.failures - this.rule.limit;
        if (more <= 0) continue;
        const who = row.key.slice(PREFIX.length);
        const start = Number(row.window_start);
        await this.append(
          {
            kind: 'denied',
            operator: who.startsWith('op:') ? who.slice(3) : null,
            role: null,
            sourceIp: who.startsWith('addr:') ? who.slice(5) : null,
            server: null,
            function: null,
            target: [],
            reason: null,
            requestId: null,
            outcome: null,
            detail: {
              code: 'denials_summarised',
              summary: `… and ${more} more denied requests`,
              more,
              from: new Date(start).toISOString(),
              to: new Date(start + this.rule.windowMs).toISOString(),
            },
          },
          tx,
        );
      }
    });
  }
}
