import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Logger } from 'pino';
import { AppError, errors } from '../errors.js';

// Plain node:http here, so Express routes and the hot read path (whm/hot-reads.ts) answer alike.

const JSON_TYPE = 'application/json; charset=utf-8';

/**
 * Bodies up to this size go out as a latin1 string of their bytes: Node joins the headers and a
 * string body into one chunk, where a Buffer body makes a second chunk and a writev (the hot read
 * path's answers are a few hundred bytes).
 */
const SMALL_BODY_BYTES = 16 * 1024;

/**
 * `headers`, a flat name/value list the caller made once, go out with the status line in one
 * call, without a setHeader per header (the hot read path's static security headers).
 */
export function sendJson(
  res: ServerResponse,
  status: number,
  body: Buffer | string,
  headers?: readonly string[],
): void {
  const length = Buffer.byteLength(body);
  if (headers) {
    res.writeHead(status, [
      ...headers,
      'content-type',
      JSON_TYPE,
      'content-length',
      String(length),
    ]);
  } else {
    res.statusCode = status;
    res.setHeader('content-type', JSON_TYPE);
    res.setHeader('content-length', length);
  }
  if (typeof body === 'string' || length > SMALL_BODY_BYTES) res.end(body);
  else res.end(body.toString('latin1'), 'latin1');
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

/** The path the browser asked for, for logs (never the query: it may name accounts). */
export function pathOf(req: IncomingMessage & { originalUrl?: string }): string | undefined {
  return (req.originalUrl ?? req.url)?.split('?')[0]?.slice(0, 300);
}

/** The one error answer: `{code, message, field?, requestId}`; internals go to the log only. */
export function sendError(
  logger: Logger,
  res: ServerResponse,
  error: unknown,
  request: { requestId: string | undefined; path: string | undefined },
): void {
  const { requestId, path } = request;
  const appError = asAppError(error);
  if (appError.statusCode >= 500) {
    logger.error(
      {
        requestId,
        code: appError.code,
        path,
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
  sendJson(
    res,
    appError.statusCode,
    JSON.stringify({
      code: appError.code,
      message: appError.message,
      ...(appError.field !== undefined ? { field: appError.field } : {}),
      requestId,
    }),
  );
}

/** One `request` log line when the answer is sent (only when info is logged at all). */
export function logWhenFinished(
  logger: Logger,
  req: IncomingMessage,
  res: ServerResponse,
  fields: () => { requestId: string | undefined; operator: string | undefined },
): void {
  if (!logger.isLevelEnabled('info')) return;
  const started = process.hrtime.bigint();
  const path = pathOf(req);
  res.on('finish', () => {
    const ms = Number(process.hrtime.bigint() - started) / 1e6;
    logger.info(
      {
        ...fields(),
        method: req.method,
        path,
        status: res.statusCode,
        ms: Math.round(ms * 10) / 10,
      },
      'request',
    );
  });
}
