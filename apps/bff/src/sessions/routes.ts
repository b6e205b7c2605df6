import type { Router } from 'express';
import { errors } from '../errors.js';
import { actorOf, requestContext, sessionCookie, type CookieSettings } from '../http/context.js';
import { BODY_LIMIT, jsonBody } from '../http/json-body.js';
import { handle, isCrossSite, isJson } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith } from '../http/schemas.js';
import { signInInfo, type SignInInfo } from '../operators/sign-in-info.js';
import { loginBody, stepUpBody } from './schemas.js';
import type { SessionService } from './session-service.js';

export interface SessionRouteDeps {
  sessions: SessionService;
  cookie: CookieSettings;
  signIn?: SignInInfo | undefined;
}

/** Sign-in and the sign-in page's facts: the only /api paths before a session. */
export function signInRoutes(deps: SessionRouteDeps): Router {
  const { sessions, cookie } = deps;
  const router = strictRouter();

  // Login is the one call without X-CSRF; it still must be same-site JSON (no login CSRF).
  router.post(
    '/session',
    (req, _res, next) => {
      if (isCrossSite(req) || !isJson(req)) {
        next(errors.csrf('Sign in with application/json from the console itself.'));
        return;
      }
      next();
    },
    jsonBody(BODY_LIMIT),
    handle(async (req, res) => {
      const body = parseWith(loginBody, req.body);
      const { sessionId, operator } = await sessions.login(body, {
        ...requestContext(req, res),
        userAgent: req.headers['user-agent'],
      });
      res.setHeader('set-cookie', sessionCookie(cookie, sessionId));
      res.json({ operator });
    }),
  );

  // The sign-in page shows it. Still X-CSRF, like every /api call but login.
  router.get('/sign-in', (req, _res, next) => {
    if (req.headers['x-csrf'] !== '1') {
      next(errors.csrf('The X-CSRF: 1 header is required.'));
      return;
    }
    next();
  });
  router.get('/sign-in', (_req, res) => {
    res.json(deps.signIn ?? signInInfo(null));
  });
  return router;
}

/** The signed-in session: its state, sign-out, step-up. */
export function sessionRoutes(deps: SessionRouteDeps): Router {
  const { sessions, cookie } = deps;
  const router = strictRouter();
  router.get(
    '/session',
    handle(async (_req, res) => {
      res.json(await sessions.state(actorOf(res)));
    }),
  );
  router.delete(
    '/session',
    handle(async (_req, res) => {
      await sessions.logout(actorOf(res));
      res.setHeader('set-cookie', sessionCookie(cookie, null));
      res.status(204).end();
    }),
  );
  router.post(
    '/session/step-up',
    handle(async (req, res) => {
      const body = parseWith(stepUpBody, req.body) as { password?: string; totp?: string };
      res.json(await sessions.stepUp(actorOf(res), body));
    }),
  );
  return router;
}
