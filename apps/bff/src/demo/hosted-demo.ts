import { randomBytes } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import type { Env } from '../env.js';
import { sourceIpOf } from '../http/context.js';
import { sendJson } from '../http/respond.js';
import { signal, signals } from '../metrics/signals.js';
import type { SessionPolicy } from '../sessions/session-service.js';

/** Requests per address and minute a hosted demo answers: enough to click around, not to load it. */
export const HOSTED_READS_PER_MINUTE = 300;
export const HOSTED_WRITES_PER_MINUTE = 30;

export interface HostedDemoInfo {
  resetMinutes: number;
  nextResetAt: string;
}

/**
 * The hosted demo (DEMO_PUBLIC=1, docs/decisions/016-hosted-demo.md): random passwords for the
 * shared demo operators, kept across resets; the reset schedule; stricter limits per address.
 * The reset itself (a new console generation) is the composition root's, handed to `start`.
 */
export class HostedDemo {
  readonly resetMs: number;
  /** Sign-in throttles: per address stricter than a console's, per user looser, since visitors share. */
  readonly sessionPolicy: Partial<SessionPolicy> = {
    loginPerUser: { limit: 100, windowMs: 15 * 60_000 },
    loginPerAddress: { limit: 10, windowMs: 15 * 60_000 },
    totpPerOperator: { limit: 20, windowMs: 15 * 60_000 },
  };
  private readonly passwords = new Map<string, string>();
  private readonly reads = new RateLimiterMemory({
    keyPrefix: 'demo-reads',
    points: HOSTED_READS_PER_MINUTE,
    duration: 60,
  });
  private readonly writes = new RateLimiterMemory({
    keyPrefix: 'demo-writes',
    points: HOSTED_WRITES_PER_MINUTE,
    duration: 60,
  });
  private nextResetAt: number;
  private timer: NodeJS.Timeout | undefined;
  private resetting: Promise<void> | undefined;
  private renew: (() => Promise<void>) | undefined;

  constructor(
    private readonly env: Env,
    private readonly clock: () => number,
    usernames: readonly string[],
  ) {
    this.resetMs = env.DEMO_RESET_MINUTES * 60_000;
    this.nextResetAt = clock() + this.resetMs;
    for (const username of usernames) {
      // 96 bits each: shared with whoever the link is given to, never guessable by anyone else.
      this.passwords.set(username, randomBytes(12).toString('base64url'));
    }
  }

  passwordOf(username: string): string {
    const password = this.passwords.get(username);
    if (password === undefined) throw new Error(`no demo operator ${username}`);
    return password;
  }

  info(): HostedDemoInfo {
    return {
      resetMinutes: this.env.DEMO_RESET_MINUTES,
      nextResetAt: new Date(this.nextResetAt).toISOString(),
    };
  }

  /** Begins the schedule; `renew` swaps in a fresh console. */
  start(renew: () => Promise<void>): void {
    this.renew = renew;
    this.schedule();
  }

  stop(): void {
    clearTimeout(this.timer);
    this.renew = undefined;
  }

  /** Resets now (the timer, or an admin's button); two at once are one. */
  reset(): Promise<void> {
    const renew = this.renew;
    if (!renew) return Promise.reject(new Error('the hosted demo is not running'));
    this.resetting ??= renew().finally(() => {
      this.resetting = undefined;
      this.nextResetAt = this.clock() + this.resetMs;
      this.schedule();
    });
    return this.resetting;
  }

  private schedule(): void {
    clearTimeout(this.timer);
    if (!this.renew) return;
    const wait = Math.max(0, this.nextResetAt - this.clock());
    this.timer = setTimeout(() => {
      this.reset().catch(() => {
        // The composition root logs it; the next interval tries again.
      });
    }, wait);
    this.timer.unref();
  }

  /**
   * Counts an /api request against its address's minute; over the limit, answers 429 itself and
   * returns false. Runs before the hot read path, so every read counts.
   */
  async admit(req: IncomingMessage, res: ServerResponse): Promise<boolean> {
    if (!req.url?.startsWith('/api/')) return true;
    const write = req.method !== 'GET' && req.method !== 'HEAD';
    const address = sourceIpOf(req, this.env.TRUST_PROXY_HOPS);
    try {
      await (write ? this.writes : this.reads).consume(address);
      return true;
    } catch (error) {
      if (!(error instanceof RateLimiterRes)) throw error;
      signal(signals.throttle, () => ({ limiter: write ? 'demo_writes' : 'demo_reads' }));
      const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
      sendJson(
        res,
        429,
        JSON.stringify({
          code: 'rate_limited',
          message: `The hosted demo answers ${write ? HOSTED_WRITES_PER_MINUTE : HOSTED_READS_PER_MINUTE} ${write ? 'changes' : 'reads'} a minute per visitor; try again in ${retryAfterSeconds} s.`,
          retryAfterSeconds,
        }),
        ['retry-after', String(retryAfterSeconds), 'cache-control', 'no-store'],
      );
      return false;
    }
  }
}
