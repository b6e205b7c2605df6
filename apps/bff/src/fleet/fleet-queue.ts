import PgBoss from 'pg-boss';
import type { Logger } from '../logger.js';

const QUEUE = 'fleet-refresh';
/** pg-boss's own default for how long a completed job is kept. */
const ARCHIVE_DEFAULT_SECONDS = 12 * 60 * 60;

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
    await this.boss.work<RefreshJob>(
      QUEUE,
      { batchSize: concurrency, pollingIntervalSeconds: 1 },
      async (jobs) => {
        await Promise.all(jobs.map((job) => refresh(job.data.server, job.data.manual)));
      },
    );
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
  }

  /** Jobs not yet finished, on every instance. */
  async pending(): Promise<number> {
    // Created, retrying or active: every state before completed.
    return this.boss.getQueueSize(QUEUE, { before: 'completed' });
  }

  async stop(): Promise<void> {
    if (!this.started) return;
    await this.boss
      .stop({ graceful: true, wait: true, timeout: 10_000 })
      .catch((error: unknown) => {
        this.logger.warn({ err: error }, 'fleet queue: stop');
      });
  }
}
