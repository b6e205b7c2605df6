import express, { type ErrorRequestHandler, type RequestHandler, type Router } from 'express';

/** The router of every /api capability: `/api/Audit` and `/api/audit/` are not `/api/audit`. */
export function strictRouter(): Router {
  return express.Router({ caseSensitive: true, strict: true });
}

/**
 * Express answers an OPTIONS request itself (200, `Allow`, text) when a router ends on a path it
 * knows with no route for OPTIONS. /api answers it as one router would: 404, or 405 from the WHM
 * route (which takes every method). So a capability passes an OPTIONS it did not answer on as
 * this marker, which the next layer turns back into a plain `next()`.
 */
const UNANSWERED_OPTIONS = new Error('OPTIONS not answered by this capability');

const passOptionsOn: RequestHandler = (req, _res, next) => {
  next(req.method === 'OPTIONS' ? UNANSWERED_OPTIONS : undefined);
};

const resume: ErrorRequestHandler = (error: unknown, _req, _res, next) => {
  next(error === UNANSWERED_OPTIONS ? undefined : error);
};

/** A capability's routes, ready to mount in http/api.ts. */
export function capability(routes: Router): Router {
  routes.use(passOptionsOn);
  const mounted = strictRouter();
  mounted.use(routes, resume);
  return mounted;
}
