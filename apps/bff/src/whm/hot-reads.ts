import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import type { Compressor } from '../compression/compressor.js';
import { nameRoute } from '../metrics/metrics.js';
import type { SessionService } from '../sessions/session-service.js';
import { readCookie, sourceIpOf, type CookieSettings } from '../http/context.js';
import { logWhenFinished, pathOf, sendError } from '../http/respond.js';
import { HSTS, overTls, recordSecurityHeaders } from '../http/security-headers.js';
import { sendAnswer, whmCallOf } from './routes.js';
import type { WhmService } from './whm-service.js';

export interface HotReadDeps {
  sessions: SessionService;
  whm: WhmService;
  cookie: CookieSettings;
  logger: Logger;
  trustProxyHops: number;
  compressor?: Compressor;
}

/** The route's pattern as Express names it (routes.ts), for the metrics' `route` label. */
const WHM_READ_ROUTE = '/api/servers/:server/whm/:function';

/** Only plain segments: anything encoded or odd goes the long way, through Express's router. */
const WHM_READ = /^\/api\/servers\/([a-z0-9][a-z0-9_-]{0,31})\/whm\/([a-z0-9_]{1,64})(?:\?(.*))?$/;

/**
 * The console's hot path: a WHM read from a signed-in browser. It answers without Express when
 * the outcome of the first checks is already known — a cached, valid session (401 otherwise),
 * `X-CSRF: 1` (403 otherwise), nothing to enroll first — and hands everything else to Express,
 * which runs those checks itself. What follows them is the same code on both paths:
 * `WhmService.call` (function, method, role, params, step-up, the proxy, the contract), the same
 * headers, the same answers and errors. Express's per-request cost is most of a read's cost and
 * most of its garbage (docs/decisions/006-hot-read-path.md).
 *
 * Returns false when the request is not for this path.
 */
export function hotReads(
  deps: HotReadDeps,
): (req: IncomingMessage, res: ServerResponse) => boolean {
  const { sessions, whm, cookie, logger, trustProxyHops, compressor } = deps;
  const headers = [...recordSecurityHeaders(), ['cache-control', 'no-store']].flat();
  const headersOverTls = [...headers, 'strict-transport-security', HSTS];
  return (req, res) => {
    if (req.method !== 'GET' || req.headers['x-csrf'] !== '1') return false;
    const route = WHM_READ.exec(req.url ?? '');
    if (!route) return false;
    const requestId = randomUUID();
    const actor = sessions.resolveNow(readCookie(req.headers.cookie, cookie.name), {
      sourceIp: sourceIpOf(req, trustProxyHops),
      requestId,
    });
    if (!actor || sessions.mustEnrollTotpNow(actor) !== false) return false;

    // Read before the proxy rewrites req.url to the upstream path.
    const request = { requestId, path: pathOf(req) };
    const call = whmCallOf(req, route[1]!, route[2]!, undefined);
    const answerHeaders = [
      ...(overTls(req, trustProxyHops) ? headersOverTls : headers),
      'x-request-id',
      requestId,
    ];
    nameRoute(res, WHM_READ_ROUTE);
    logWhenFinished(logger, req, res, () => ({ requestId, operator: actor.operator.username }));
    whm
      .call(actor, call, (upstream, prepared) => upstream.viaProxy(req, res, prepared))
      .then(
        (answer) => sendAnswer(res, answer, compressor, answerHeaders),
        (error: unknown) => {
          if (res.headersSent) {
            res.destroy();
            return;
          }
          for (let i = 0; i < answerHeaders.length; i += 2) {
            res.setHeader(answerHeaders[i]!, answerHeaders[i + 1]!);
          }
          sendError(logger, res, error, request);
        },
      );
    return true;
  };
}
