import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import type { AuditLog } from '../audit/audit-log.js';
import { recordDenial } from '../audit/request-records.js';
import { AppError, errors } from '../errors.js';
import type { Role } from '../operators/operator-store.js';
import type { SessionService } from '../sessions/session-service.js';
import { actorOf, locals, readCookie, requestContext, type CookieSettings } from './context.js';
import { logWhenFinished, pathOf, sendError } from './respond.js';

type AsyncHandler = (req: Request, res: Response, next: NextFunction) => Promise<void>;

/** Express 5 forwards rejected promises, but say so explicitly where a handler is async. */
export function handle(fn: AsyncHandler): RequestHandler {
  return (req, res, next) => {
    fn(req, res, next).catch(next);
  };
}

export function requestId(): RequestHandler {
  return (_req, res, next) => {
    const id = randomUUID();
    locals(res).requestId = id;
    res.setHeader('x-request-id', id);
    next();
  };
}

export function requestLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    logWhenFinished(logger, req, res, () => ({
      requestId: locals(res).requestId,
      operator: locals(res).actor?.operator.username,
    }));
    next();
  };
}

export function noStore(): RequestHandler {
  return (_req, res, next) => {
    res.setHeader('cache-control', 'no-store');
    next();
  };
}

/** Resolves the session cookie to an actor, or answers 401. */
export function authenticate(sessions: SessionService, cookie: CookieSettings): RequestHandler {
  const slow = handle(async (req, res, next) => {
    const id = readCookie(req.headers.cookie, cookie.name);
    locals(res).actor = await sessions.resolve(id, requestContext(req, res));
    next();
  });
  return (req, res, next) => {
    const id = readCookie(req.headers.cookie, cookie.name);
    const actor = sessions.resolveNow(id, requestContext(req, res));
    if (actor) {
      locals(res).actor = actor;
      next();
      return;
    }
    slow(req, res, next);
  };
}

const SAFE_METHODS = new Set(['GET', 'HEAD']);

export function isJson(req: Request): boolean {
  const type = req.headers['content-type'];
  return typeof type === 'string' && /^application\/json\s*(;|$)/i.test(type.trim());
}

/** Header values are case-insensitive tokens: `Cross-Site` is still cross-site. */
export function isCrossSite(req: Request): boolean {
  const site = req.headers['sec-fetch-site']?.trim().toLowerCase();
  return site === 'cross-site' || site === 'same-site';
}

/** A write without a body (no framing header, or Content-Length: 0) has no type to check. */
function hasBody(req: Request): boolean {
  return (
    req.headers['transfer-encoding'] !== undefined ||
    (req.headers['content-length'] !== undefined && req.headers['content-length'] !== '0')
  );
}

/** SECURITY.md 13: `X-CSRF: 1` on every /api request, JSON writes, no cross-site writes. */
export function csrf(audit: AuditLog): RequestHandler {
  const refuse = handle(async (_req, res) => {
    const error = errors.csrf(locals(res).csrfProblem ?? 'Refused.');
    await recordDenial(audit, actorOf(res), null, null, error);
    throw error;
  });
  // Synchronous on the hot path: an accepted request allocates no promise here.
  return (req, res, next) => {
    let problem: string | null = null;
    if (req.headers['x-csrf'] !== '1') problem = 'The X-CSRF: 1 header is required.';
    else if (!SAFE_METHODS.has(req.method)) {
      if (isCrossSite(req)) problem = 'Cross-site writes are refused.';
      else if (hasBody(req) && !isJson(req)) {
        problem = 'Writes must be sent as application/json.';
      }
    }
    if (problem === null) {
      next();
      return;
    }
    locals(res).csrfProblem = problem;
    refuse(req, res, next);
  };
}

/** When an admin requires operator TOTP, an operator without one may only enroll. */
export function totpEnrollmentGate(sessions: SessionService): RequestHandler {
  const gate = handle(async (_req, res, next) => {
    if (await sessions.mustEnrollTotp(actorOf(res))) {
      throw new AppError(
        'totp_enrollment_required',
        'Set up an authenticator app for your console account first.',
      );
    }
    next();
  });
  return (req, res, next) => {
    const path = req.path;
    if (path === '/session' || path.startsWith('/session/') || path.startsWith('/me/')) {
      next();
      return;
    }
    // Known at once on the hot path (operator has TOTP, or the cached settings say no).
    const actor = locals(res).actor;
    if (actor && sessions.mustEnrollTotpNow(actor) === false) {
      next();
      return;
    }
    gate(req, res, next);
  };
}

export function requireRole(role: Role, audit: AuditLog): RequestHandler {
  return handle(async (_req, res, next) => {
    const actor = actorOf(res);
    if (actor.operator.role !== role) {
      const error = errors.forbidden();
      await recordDenial(audit, actor, null, null, error);
      throw error;
    }
    next();
  });
}

/** Express's error handler: every refusal and fault is answered by `sendError`. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    sendError(logger, res, error, { requestId: locals(res).requestId, path: pathOf(req) });
  };
}
