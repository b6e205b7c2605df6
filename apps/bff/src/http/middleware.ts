import { randomUUID } from 'node:crypto';
import type { ErrorRequestHandler, NextFunction, Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { AppError, errors } from '../errors.js';
import type { Role } from '../operators/operator-store.js';
import type { SessionService } from '../sessions/session-service.js';
import type { WhmService } from '../whm/whm-service.js';
import { actorOf, locals, readCookie, requestContext, type CookieSettings } from './context.js';

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
    if (!logger.isLevelEnabled('info')) {
      next();
      return;
    }
    const started = process.hrtime.bigint();
    res.on('finish', () => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      const path = req.originalUrl.split('?')[0]?.slice(0, 300);
      logger.info(
        {
          requestId: locals(res).requestId,
          method: req.method,
          path,
          status: res.statusCode,
          ms: Math.round(ms * 10) / 10,
          operator: locals(res).actor?.operator.username,
        },
        'request',
      );
    });
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

export function isCrossSite(req: Request): boolean {
  const site = req.headers['sec-fetch-site'];
  return site === 'cross-site' || site === 'same-site';
}

/** SECURITY.md 13: `X-CSRF: 1` on every /api request, JSON writes, no cross-site writes. */
export function csrf(whm: WhmService): RequestHandler {
  const refuse = handle(async (_req, res) => {
    const error = errors.csrf(locals(res).csrfProblem ?? 'Refused.');
    await whm.recordDenial(actorOf(res), null, null, error);
    throw error;
  });
  // Synchronous on the hot path: an accepted request allocates no promise here.
  return (req, res, next) => {
    let problem: string | null = null;
    if (req.headers['x-csrf'] !== '1') problem = 'The X-CSRF: 1 header is required.';
    else if (!SAFE_METHODS.has(req.method)) {
      if (isCrossSite(req)) problem = 'Cross-site writes are refused.';
      else if (!isJson(req)) problem = 'Writes must be sent as application/json.';
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

export function requireRole(role: Role, whm: WhmService): RequestHandler {
  return handle(async (_req, res, next) => {
    const actor = actorOf(res);
    if (actor.operator.role !== role) {
      const error = errors.forbidden();
      await whm.recordDenial(actor, null, null, error);
      throw error;
    }
    next();
  });
}

interface BodyParserError {
  type?: string;
  status?: number;
}

function asAppError(error: unknown): AppError {
  if (error instanceof AppError) return error;
  const parserError = error as BodyParserError;
  switch (parserError?.type) {
    case 'entity.too.large':
      return new AppError('payload_too_large', 'The body is larger than 16 kB.');
    case 'entity.parse.failed':
      return errors.invalidParams('body', 'The body is not valid JSON.');
    case 'encoding.unsupported':
    case 'charset.unsupported':
    case 'request.size.invalid':
    case 'entity.verify.failed':
    case 'request.aborted':
      return errors.invalidParams('body', 'The body cannot be read.');
    default:
      return new AppError('internal', 'Something went wrong on our side.', { cause: error });
  }
}

/** The one error handler: `{code, message, field?, requestId}`; internals go to the log only. */
export function errorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, req, res, next) => {
    if (res.headersSent) {
      next(error);
      return;
    }
    const appError = asAppError(error);
    const requestId = locals(res).requestId;
    if (appError.statusCode >= 500) {
      logger.error(
        {
          requestId,
          code: appError.code,
          path: req.originalUrl.split('?')[0]?.slice(0, 300),
          ...appError.logInfo,
          err: appError.code === 'internal' ? error : undefined,
        },
        appError.message,
      );
    } else if (appError.logInfo) {
      logger.info({ requestId, code: appError.code, ...appError.logInfo }, 'refused');
    }
    if (appError.retryAfterSeconds !== undefined) {
      res.setHeader('retry-after', String(appError.retryAfterSeconds));
    }
    if (appError.code === 'method_not_allowed' && typeof appError.logInfo?.allow === 'string') {
      res.setHeader('allow', appError.logInfo.allow);
    }
    res.setHeader('cache-control', 'no-store');
    res.status(appError.statusCode).json({
      code: appError.code,
      message: appError.message,
      ...(appError.field !== undefined ? { field: appError.field } : {}),
      requestId,
    });
  };
}
