import type { RequestHandler, Router } from 'express';
import type { AuditLog } from '../audit/audit-log.js';
import { errors } from '../errors.js';
import { actorOf } from '../http/context.js';
import { handle, requireRole } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import type { SessionService } from '../sessions/session-service.js';
import type { HostedDemo } from './hosted-demo.js';

/** `GET /api/demo`: the reset schedule, for the banner (before sign-in too, as /sign-in is). */
export function hostedDemoInfoRoutes(hosted: HostedDemo): Router {
  const router = strictRouter();
  router.get('/demo', (req, res, next) => {
    if (req.headers['x-csrf'] !== '1') {
      next(errors.csrf('The X-CSRF: 1 header is required.'));
      return;
    }
    res.json(hosted.info());
  });
  return router;
}

/** `POST /api/demo/reset`: an admin with a fresh step-up starts the demo over for everyone. */
export function hostedDemoResetRoutes(deps: {
  hosted: HostedDemo;
  sessions: SessionService;
  audit: AuditLog;
}): Router {
  const router = strictRouter();
  router.post(
    '/demo/reset',
    requireRole('admin', deps.audit),
    handle(async (_req, res) => {
      if (!deps.sessions.hasStepUp(actorOf(res))) throw errors.stepUp();
      await deps.hosted.reset();
      res.status(202).json(deps.hosted.info());
    }),
  );
  return router;
}

/**
 * Visitors share the demo operators: what would lock the next visitor out (a new password, an
 * own TOTP, an operator disabled or removed, TOTP required for all) is not offered until the reset.
 */
const sharedSignInChanges: readonly [string, RegExp][] = [
  ['POST', /^\/me\/password$/],
  ['POST', /^\/me\/totp\/(setup|confirm)$/],
  ['DELETE', /^\/me\/totp$/],
  ['PATCH', /^\/operators\/[^/]+$/],
  ['DELETE', /^\/operators\/[^/]+$/],
  ['POST', /^\/operators\/[^/]+\/password$/],
  ['DELETE', /^\/operators\/[^/]+\/totp$/],
  ['PUT', /^\/settings$/],
  // Simulated servers only: a visitor adds no server, so the demo reaches nothing else.
  ['POST', /^\/managed-servers(\/test)?$/],
  ['PATCH', /^\/managed-servers\/[^/]+$/],
  ['DELETE', /^\/managed-servers\/[^/]+$/],
];

export function keepSharedSignIns(): RequestHandler {
  return (req, _res, next) => {
    const path = req.path;
    if (
      sharedSignInChanges.some(([method, pattern]) => req.method === method && pattern.test(path))
    ) {
      next(
        errors.forbidden(
          'Not in the hosted demo: every visitor shares these sign-ins. Run the console yourself to try it.',
        ),
      );
      return;
    }
    next();
  };
}
