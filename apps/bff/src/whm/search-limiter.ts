import { RateLimiterMemory, RateLimiterRes } from 'rate-limiter-flexible';
import { AppError } from '../errors.js';
import { signal, signals } from '../metrics/signals.js';
import type { Actor } from '../sessions/session-service.js';

/**
 * Account searches sent to WHM, per operator and minute. The accounts screen filters the list it
 * already holds; a search that reaches WHM makes it walk every account, so a script of them is the
 * one read that can load a server. Per BFF instance: in memory, no shared store to fail.
 */
export const SEARCHES_PER_MINUTE = 30;

export class SearchLimiter {
  private readonly limiter = new RateLimiterMemory({
    keyPrefix: 'whm-search',
    points: SEARCHES_PER_MINUTE,
    duration: 60,
  });

  /** Counts one search; over the limit, answers 429 with the seconds to wait. */
  async consume(actor: Actor): Promise<void> {
    try {
      await this.limiter.consume(actor.operator.id);
    } catch (error) {
      if (error instanceof RateLimiterRes) {
        signal(signals.throttle, () => ({ limiter: 'search' }));
        const retryAfterSeconds = Math.max(1, Math.ceil(error.msBeforeNext / 1000));
        throw new AppError(
          'rate_limited',
          `Too many account searches sent to WHM; try again in ${retryAfterSeconds} s.`,
          { retryAfterSeconds },
        );
      }
      throw error;
    }
  }
}
