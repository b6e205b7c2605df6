import pLimit from 'p-limit';
import type { Logger } from '../logger.js';
import { directRead } from '../whm/prepared-calls.js';
import { readTwoFactorAvailability } from '../whm/two-factor-availability.js';
import type { WhmUpstream } from '../whm/upstream.js';
import type { FleetQueue } from './fleet-queue.js';
import type { FleetReading, FleetSnapshot, FleetStore, IndexedAccount } from './fleet-store.js';

export interface FleetRefreshPolicy {
  /** How often every server is read (default 15 minutes). */
  intervalMs: number;
  /** Servers read at once (default 8). */
  concurrency: number;
  /** One server's whole reading may take this long before it counts as failed. */
  serverTimeoutMs: number;
}

export const DEFAULT_FLEET_REFRESH: FleetRefreshPolicy = {
  intervalMs: 15 * 60_000,
  concurrency: 8,
  serverTimeoutMs: 30_000,
};

/** A server that failed this many rounds in a row is read at most every 8 intervals. */
const MAX_BACKOFF_INTERVALS = 8;
/** Fewer changed index rows than this never renew the planner's statistics on their own. */
const ANALYZE_MIN_CHANGED = 500;

class ReadingTimeout extends Error {
  constructor(ms: number) {
    super(`no complete answer within ${Math.round(ms / 1000)} s`);
  }
}

/** One server read as the fleet screens need it: policy, issuer, accounts and their 2FA state. */
export async function readServer(
  upstream: WhmUpstream,
  at: number,
): Promise<{ reading: FleetReading; accounts: IndexedAccount[] }> {
  const [policy, issuer, listed, configs, availability] = await Promise.all([
    directRead(upstream, 'twofactorauth_policy_status', {}),
    directRead(upstream, 'twofactorauth_get_issuer', {}),
    directRead(upstream, 'listaccts', { want: 'user,domain,owner,plan,suspended' }),
    directRead(upstream, 'twofactorauth_get_user_configs', {}),
    // Fail-soft, as on the accounts screen: without it every account counts as able to enroll.
    readTwoFactorAvailability(upstream, directRead).catch(() => undefined),
  ]);
  const lacking = new Set(availability?.packagesWithoutTwoFactor ?? []);
  const accounts: IndexedAccount[] = listed.data.acct
    .filter((account) => account.user !== undefined && account.user !== 'root')
    .map((account) => {
      const user = account.user ?? '';
      const plan = account.plan ?? '';
      const enabled = Boolean(configs.data[user]?.is_enabled);
      return {
        user,
        domain: account.domain ?? '',
        owner: account.owner ?? '',
        plan,
        twoFactor: enabled ? 'on' : lacking.has(plan) ? 'unavailable' : 'off',
        suspended: Boolean(account.suspended),
      };
    });
  return {
    reading: {
      serverId: upstream.server.id,
      at,
      reachable: true,
      fault: null,
      policyEnabled: Boolean(policy.data.is_enabled),
      issuer: issuer.data.issuer,
      accounts: accounts.length,
      enrolled: accounts.filter((a) => a.twoFactor === 'on').length,
      withoutFeature: accounts.filter((a) => a.twoFactor === 'unavailable').length,
      suspended: accounts.filter((a) => a.suspended).length,
    },
    accounts,
  };
}

/**
 * Reads every server on an interval and on demand, a few at once, each within a deadline; a
 * server that keeps failing is read less often. On PGlite one process does it all; with a
 * `queue` (PostgreSQL, several instances) each server's reading is a job exactly one instance
 * takes (fleet-queue.ts).
 */
export class FleetRefresher {
  private round: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastRoundAt: number | null = null;

  constructor(
    private readonly deps: {
      upstreams: ReadonlyMap<string, WhmUpstream>;
      store: FleetStore;
      logger: Logger;
      policy: FleetRefreshPolicy;
      clock?: () => number;
      queue?: FleetQueue | undefined;
    },
  ) {}

  /** Readings running on this instance (queue mode). */
  private inFlight = 0;
  /** Index rows this instance changed since it last renewed the planner's statistics. */
  private changedSinceAnalyze = 0;

  private now(): number {
    return (this.deps.clock ?? Date.now)();
  }

  /** Whether a round runs (queue mode: anywhere, any job not finished). */
  async isRefreshing(): Promise<boolean> {
    // A round of this instance's own counts until its end, statistics included: an admin's
    // "Refresh now" in that moment would join it and read nothing.
    if (this.round !== undefined) return true;
    const { queue } = this.deps;
    if (!queue) return false;
    return this.inFlight > 0 || (await queue.pending()) > 0;
  }

  /** The first round at once, then one per interval. */
  async start(): Promise<void> {
    const { queue, policy } = this.deps;
    if (queue) {
      await queue.start(policy.concurrency, (server, manual) => this.refreshById(server, manual));
    }
    void this.refresh({ respectBackoff: true }).catch((error: unknown) => {
      this.deps.logger.warn({ err: error }, 'fleet refresh round failed');
    });
    this.timer = setInterval(() => {
      void this.refresh({ respectBackoff: true }).catch((error: unknown) => {
        this.deps.logger.warn({ err: error }, 'fleet refresh round failed');
      });
    }, policy.intervalMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.round?.catch(() => undefined);
    await this.deps.queue?.stop();
  }

  /**
   * A round over every server; a round asked for while one runs is that one. In queue mode it
   * asks for one job per server and resolves when no job is left (on any instance).
   */
  refresh(options: { respectBackoff: boolean } = { respectBackoff: false }): Promise<void> {
    this.round ??= (
      this.deps.queue
        ? this.queuedRound(this.deps.queue, !options.respectBackoff)
        : this.runRound(options.respectBackoff)
    )
      .then(() => this.analyzeIfStale())
      .finally(() => {
        this.round = undefined;
        this.lastRoundAt = this.now();
      });
    return this.round;
  }

  private async queuedRound(queue: FleetQueue, manual: boolean): Promise<void> {
    await queue.dispatch([...this.deps.upstreams.keys()], manual, this.deps.policy.intervalMs);
    const deadline = Date.now() + this.deps.policy.serverTimeoutMs * 4 + 60_000;
    while (Date.now() < deadline) {
      if (this.inFlight === 0 && (await queue.pending()) === 0) return;
      await new Promise((resolveWait) => setTimeout(resolveWait, 100));
    }
  }

  /** One server's job, on whichever instance took it. */
  async refreshById(server: string, manual: boolean): Promise<void> {
    const upstream = this.deps.upstreams.get(server);
    if (!upstream) return;
    if (!manual) {
      const last = (await this.deps.store.snapshots()).find((s) => s.serverId === server);
      if (this.backingOff(last)) return;
    }
    this.inFlight += 1;
    try {
      await this.refreshServer(upstream);
    } finally {
      this.inFlight -= 1;
    }
  }

  lastRound(): number | null {
    return this.lastRoundAt;
  }

  private async runRound(respectBackoff: boolean): Promise<void> {
    const { store, upstreams, policy, logger } = this.deps;
    const before = new Map((await store.snapshots()).map((s) => [s.serverId, s]));
    const limit = pLimit(policy.concurrency);
    await Promise.all(
      [...upstreams.values()].map((upstream) =>
        limit(async () => {
          const last = before.get(upstream.server.id);
          if (respectBackoff && this.backingOff(last)) return;
          await this.refreshServer(upstream).catch((error: unknown) => {
            logger.warn({ err: error, server: upstream.server.id }, 'fleet refresh failed');
          });
        }),
      ),
    );
  }

  /**
   * After a round that changed much of the index (the first one writes all of it), as
   * autovacuum would decide it (a tenth of the rows), but at once: searches right after a round
   * must not be planned on an empty table's statistics. Another instance's changes are its own
   * round's to count, and autovacuum's.
   */
  private async analyzeIfStale(): Promise<void> {
    const changed = this.changedSinceAnalyze;
    if (changed === 0) return;
    const rows = (await this.deps.store.snapshots()).reduce((sum, s) => sum + s.accounts, 0);
    if (changed < Math.max(ANALYZE_MIN_CHANGED, rows / 10)) return;
    this.changedSinceAnalyze = 0;
    await this.deps.store.analyzeIndex().catch((error: unknown) => {
      this.changedSinceAnalyze += changed;
      this.deps.logger.warn({ err: error }, 'fleet index: analyze');
    });
  }

  /** Whether a failing server waits out this round: 1, 2, 4, then 8 intervals after each failure. */
  private backingOff(last: FleetSnapshot | undefined): boolean {
    if (!last || last.failures === 0) return false;
    const intervals = Math.min(2 ** (last.failures - 1), MAX_BACKOFF_INTERVALS);
    // A little slack, so a timer that fires a moment early does not skip a whole interval.
    const wait =
      intervals * this.deps.policy.intervalMs - Math.min(5_000, this.deps.policy.intervalMs / 10);
    return this.now() - last.at < wait;
  }

  private async refreshServer(upstream: WhmUpstream): Promise<void> {
    const at = this.now();
    const { serverTimeoutMs } = this.deps.policy;
    let timeout: NodeJS.Timeout | undefined;
    try {
      const read = await Promise.race([
        readServer(upstream, at),
        new Promise<never>((_resolve, reject) => {
          timeout = setTimeout(() => reject(new ReadingTimeout(serverTimeoutMs)), serverTimeoutMs);
        }),
      ]);
      this.changedSinceAnalyze += await this.deps.store.recordReading(read.reading, read.accounts);
    } catch (error) {
      const fault = error instanceof Error ? error.message : String(error);
      await this.deps.store.recordFailure(upstream.server.id, at, fault);
    } finally {
      clearTimeout(timeout);
    }
  }
}
