import PgBoss from 'pg-boss';
import type { Logger } from '../logger.js';

const QUEUE = 'fleet-refresh';
/** pg-boss's own default for how long a completed job is kept. */
const ARCHIVE_DEFAULT_SECONDS = 12 * 60 * 60;
/** How often an idle slot looks for jobs another instance queued. */
const POLL_MS = 1_000;

interface RefreshJob {
  server: string;
  /** An admin's "Refresh now": read even a server that is backing off. */
  manual: boolean;
}

/**
 * With several console instances on one PostgreSQL, each server's refresh is a pg-boss job: every
 * instance asks for the round, the queue keeps one job per server and interval (a singleton key
 * per time slot), and exactly one instance takes each job (docs/fleet.md). PGlite needs none of
 * this: one process does it all.
 */
export class FleetQueue {
  private readonly boss: PgBoss;
  private started = false;
  private stopping = false;
  private readonly slots: Promise<void>[] = [];
  private readonly waiting = new Set<() => void>();

  constructor(
    options: { connectionString: string; schema: string; intervalMs: number },
    private readonly logger: Logger,
  ) {
    this.boss = new PgBoss({
      connectionString: options.connectionString,
      schema: options.schema,
      max: 4,
      // A round's singleton slot may not outlast a finished job's stay in the table (pg-boss
      // refuses the send otherwise): keep jobs at least one interval, and its 12 h default.
      archiveCompletedAfterSeconds: Math.max(
        ARCHIVE_DEFAULT_SECONDS,
        Math.ceil(options.intervalMs / 1000) + 60,
      ),
      // Its own housekeeping stays off the console's instances' hot paths.
      supervise: true,
      schedule: false,
    });
    this.boss.on('error', (error: unknown) => logger.warn({ err: error }, 'fleet queue'));
  }

  /** Starts pg-boss and takes jobs, `concurrency` at a time, handing each to `refresh`. */
  async start(
    concurrency: number,
    refresh: (server: string, manual: boolean) => Promise<void>,
  ): Promise<void> {
    await this.boss.start();
    this.started = true;
    await this.boss.createQueue(QUEUE, { name: QUEUE, policy: 'standard' }).catch(() => {
      // Made already by another instance.
    });
    // Slots of our own over pg-boss's fetch and complete rather than its `work`: a `work` batch
    // waits for its slowest server before it fetches again, and a worker never polls more than
    // once a second, so a round of 100 servers took 13 batches of at least a second each. A slot
    // takes the next job the moment its last one ends.
    for (let i = 0; i < concurrency; i += 1) this.slots.push(this.slot(refresh));
  }

  private async slot(refresh: (server: string, manual: boolean) => Promise<void>): Promise<void> {
    while (!this.stopping) {
      let job: { id: string; data: RefreshJob } | undefined;
      try {
        [job] = await this.boss.fetch<RefreshJob>(QUEUE, { batchSize: 1 });
      } catch (error) {
        this.logger.warn({ err: error }, 'fleet queue: fetch');
      }
      if (!job) {
        await this.idle();
        continue;
      }
      try {
        await refresh(job.data.server, job.data.manual);
        await this.boss.complete(QUEUE, job.id);
      } catch (error) {
        await this.boss
          .fail(QUEUE, job.id, { message: error instanceof Error ? error.message : String(error) })
          .catch((failed: unknown) => this.logger.warn({ err: failed }, 'fleet queue: fail'));
      }
    }
  }

  /** Until the next poll, or sooner when this instance queued jobs or stops. */
  private idle(): Promise<void> {
    return new Promise((resolveIdle) => {
      const timer = setTimeout(done, POLL_MS);
      const waiting = this.waiting;
      function done() {
        clearTimeout(timer);
        waiting.delete(done);
        resolveIdle();
      }
      waiting.add(done);
    });
  }

  private wake(): void {
    for (const done of [...this.waiting]) done();
  }

  /**
   * One job per server: a scheduled round's are one per server per interval across every
   * instance (a second instance's send for the same slot is refused); an admin's are new.
   */
  async dispatch(servers: readonly string[], manual: boolean, intervalMs: number): Promise<void> {
    const seconds = Math.max(1, Math.floor(intervalMs / 1000));
    await Promise.all(
      servers.map((server) =>
        this.boss.send(
          QUEUE,
          { server, manual } satisfies RefreshJob,
          manual
            ? { retryLimit: 0, expireInSeconds: 300 }
            : {
                singletonKey: server,
                singletonSeconds: seconds,
                retryLimit: 0,
                expireInSeconds: 300,
              },
        ),
      ),
    );
    this.wake();
  }

  /** Jobs not yet finished, on every instance. */
  async pending(): Promise<number> {
    // Created, retrying or active: every state before completed.
    return this.boss.getQueueSize(QUEUE, { before: 'completed' });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    this.stopping = true;
    this.wake();
    // A slot ends once its reading does (each has its own deadline).
    await Promise.all(this.slots);
    await this.boss
      .stop({ graceful: true, wait: true, timeout: 10_000 })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'fleet queue: stop');
      });
  }
}
