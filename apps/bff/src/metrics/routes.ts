import { createHash, timingSafeEqual } from 'node:crypto';
import type { RequestHandler } from 'express';
import { AppError, errors } from '../errors.js';
import { handle } from '../http/middleware.js';
import type { ConsoleMetrics } from './metrics.js';

const digest = (text: string) => createHash('sha256').update(text).digest();

/**
 * `GET /metrics` for Prometheus: not found while METRICS_TOKEN is unset; with it, only for
 * `Authorization: Bearer <token>` (compared in constant time). The figures carry no user names,
 * accounts or tokens, but they do say how busy and how healthy the console is.
 */
export function metricsRoute(
  scrape: { registry: ConsoleMetrics; token: string } | undefined,
): RequestHandler {
  const expected = scrape && digest(scrape.token);
  return handle(async (req, res) => {
    if (!scrape || !expected) throw errors.notFound();
    const presented = /^Bearer\s+(\S+)$/i.exec(req.headers.authorization ?? '')?.[1];
    if (presented === undefined || !timingSafeEqual(digest(presented), expected)) {
      res.setHeader('www-authenticate', 'Bearer realm="metrics"');
      throw new AppError('unauthenticated', 'Send Authorization: Bearer with METRICS_TOKEN.');
    }
    const text = await scrape.registry.text();
    res.setHeader('cache-control', 'no-store');
    res.type(scrape.registry.contentType).send(text);
  });
}
