import { randomBytes } from 'node:crypto';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Logger } from '../logger.js';
import type { OutboxMessage, OutboxStore } from './outbox-store.js';

/** Hands one message to the mail server; rejects with the server's or the network's error. */
export type MailTransport = (message: OutboxMessage) => Promise<void>;

export interface MailWorkerOptions {
  store: OutboxStore;
  transport: MailTransport;
  logger: Logger;
  clock?: () => number;
  /** Messages handed to the mail server per minute at most (bulk removals send one per account). */
  ratePerMinute: number;
  /** How often the outbox is looked at when nothing kicks the worker. */
  pollMs?: number;
  /** The first retry's delay; each further one doubles it, up to an hour. */
  backoffBaseMs?: number;
  /** Tries before a message is failed for good (an admin can still retry it). */
  maxAttempts?: number;
  /** How long a claimed message is this worker's before it counts as abandoned. */
  leaseMs?: number;
  /** Tests: runs after the mail server took a message, before it is marked sent. */
  afterHandOver?: (message: OutboxMessage) => Promise<void>;
}

const BATCH = 10;
const MAX_BACKOFF_MS = 60 * 60_000;

/** What the mail server said, short enough for the outbox screen; never the SMTP URL. */
function describeMailError(error: unknown): { text: string; permanent: boolean } {
  const failure = error as { responseCode?: number; response?: string; code?: string };
  if (typeof failure.responseCode === 'number') {
    const text = `${failure.responseCode} ${String(failure.response ?? '')}`.slice(0, 300);
    // 5xx is the mail server's final no (unknown mailbox, refused sender): trying again won't help.
    return { text, permanent: failure.responseCode >= 500 };
  }
  const code = failure.code ?? 'EMAIL';
  return {
    text: `${code}: the mail server could not be reached or did not answer`,
    permanent: false,
  };
}

/**
 * Delivers the outbox: claims due messages (one instance each), sends at the configured rate,
 * marks them sent, or queues them again with backoff. Nothing is sent twice on its own: a
 * message whose hand-over outlived its sender is left `unconfirmed` (outbox-store.ts).
 */
export class MailWorker {
  private readonly id = `mail-${randomBytes(6).toString('hex')}`;
  private readonly clock: () => number;
  private readonly limiter: RateLimiterMemory;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private stopped = true;

  constructor(private readonly options: MailWorkerOptions) {
    this.clock = options.clock ?? Date.now;
    this.limiter = new RateLimiterMemory({ points: options.ratePerMinute, duration: 60 });
  }

  start(): void {
    if (!this.stopped) return;
    this.stopped = false;
    this.schedule(0);
  }

  /** Looks at the outbox now (after a message was queued), not at the next poll. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) this.again = true;
    else this.schedule(0);
  }

  /** Stops polling; waits a moment for a send in flight to be marked. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    if (this.running) {
      await Promise.race([
        this.running,
        new Promise((resolveWait) => setTimeout(resolveWait, 5_000)),
      ]);
    }
  }

  /**
   * One pass over what is due that starts after this call (tests call it directly): a pass
   * already under way may have looked before the caller's message was there, so it is waited
   * out, not joined.
   */
  async runOnce(): Promise<void> {
    while (this.running) await this.running.catch(() => undefined);
    const run = this.deliverDue().finally(() => {
      this.running = undefined;
    });
    this.running = run;
    return run;
  }

  private schedule(ms: number): void {
    clearTimeout(this.timer);
    if (this.stopped) return;
    this.timer = setTimeout(() => this.tick(), ms);
    this.timer.unref();
  }

  private tick(): void {
    this.timer = undefined;
    void this.runOnce()
      .catch((error: unknown) =>
        this.options.logger.error({ err: error }, 'mail outbox pass failed'),
      )
      .finally(() => {
        if (this.stopped) return;
        if (this.again) {
          this.again = false;
          this.schedule(0);
        } else if (!this.timer) {
          // Unless the pass set its own time (the send rate), poll.
          this.schedule(this.options.pollMs ?? 5_000);
        }
      });
  }

  private async deliverDue(): Promise<void> {
    const { store, transport } = this.options;
    const leaseMs = this.options.leaseMs ?? 120_000;
    for (;;) {
      const now = this.clock();
      // Claim no more than the rate still allows: a claim the rate then refuses is churn that
      // others see as messages "sending".
      const used = await this.limiter.get('send');
      const left = this.options.ratePerMinute - (used?.consumedPoints ?? 0);
      if (left <= 0) {
        this.schedule(Math.max(used?.msBeforeNext ?? 1_000, 50));
        return;
      }
      const claimed = await store.claim(this.id, now, now + leaseMs, Math.min(BATCH, left));
      if (claimed.length === 0) return;
      for (const [index, message] of claimed.entries()) {
        try {
          await this.limiter.consume('send');
        } catch (limited) {
          // The rate is used up: give the rest back untried and come back when it allows.
          for (const rest of claimed.slice(index)) await store.release(rest.id, this.id);
          const wait = limited instanceof RateLimiterRes ? limited.msBeforeNext : 1_000;
          this.schedule(Math.max(wait, 50));
          return;
        }
        await this.deliver(message, transport);
      }
      if (this.stopped) return;
    }
  }

  private async deliver(message: OutboxMessage, transport: MailTransport): Promise<void> {
    const { store, logger } = this.options;
    try {
      await transport(message);
    } catch (error) {
      const { text, permanent } = describeMailError(error);
      const maxAttempts = this.options.maxAttempts ?? 8;
      const base = this.options.backoffBaseMs ?? 30_000;
      const retryAt =
        permanent || message.attempts >= maxAttempts
          ? null
          : this.clock() + Math.min(base * 2 ** (message.attempts - 1), MAX_BACKOFF_MS);
      await store.markFailed(message.id, this.id, text, retryAt);
      logger.warn(
        {
          mail: message.id,
          kind: message.kind,
          attempts: message.attempts,
          retry: retryAt !== null,
          error: text,
        },
        'mail not delivered',
      );
      return;
    }
    await this.options.afterHandOver?.(message);
    await store.markSent(message.id, this.id, this.clock());
    logger.info({ mail: message.id, kind: message.kind }, 'mail delivered');
  }
}
