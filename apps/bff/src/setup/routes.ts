import express, { type Router } from 'express';
import { z } from 'zod';
import { errors } from '../errors.js';
import { requestContext, sessionCookie, type CookieSettings } from '../http/context.js';
import { jsonBody } from '../http/json-body.js';
import { handle, isCrossSite, isJson } from '../http/middleware.js';
import { parseWith } from '../http/schemas.js';
import { OPERATOR_NAME_PATTERN, OPERATOR_NAME_RULE } from '../operators/operator-service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../operators/passwords.js';
import type { SetupService } from './setup-service.js';

/** The operators CLI's and `POST /api/operators`' rules for a new operator, plus the token. */
const setupBody = z.strictObject({
  token: z.string().min(1).max(128),
  username: z.string().regex(OPERATOR_NAME_PATTERN, OPERATOR_NAME_RULE),
  password: z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH),
});

/** `/api/setup`, before authentication: 404 once any operator exists. */
export function setupRoutes(deps: { setup: SetupService; cookie: CookieSettings }): Router {
  const { setup, cookie } = deps;
  const router = express.Router({ caseSensitive: true, strict: true });
  const whileOpen = handle(async (_req, _res, next) => {
    if (!(await setup.isOpen())) throw errors.notFound();
    next();
  });

  router.get(
    '/setup',
    (req, _res, next) => {
      if (req.headers['x-csrf'] !== '1') {
        next(errors.csrf('The X-CSRF: 1 header is required.'));
        return;
      }
      next();
    },
    whileOpen,
    (_req, res) => {
      res.json({ open: true });
    },
  );

  // As sign-in (POST /api/session): same-site JSON only, so no other site can sign a browser in.
  router.post(
    '/setup',
    (req, _res, next) => {
      if (isCrossSite(req) || !isJson(req)) {
        next(errors.csrf('Set up with application/json from the console itself.'));
        return;
      }
      next();
    },
    whileOpen,
    jsonBody('16kb'),
    handle(async (req, res) => {
      const body = parseWith(setupBody, req.body);
      const { sessionId, operator } = await setup.complete(body, {
        ...requestContext(req, res),
        userAgent: req.headers['user-agent'],
      });
      res.setHeader('set-cookie', sessionCookie(cookie, sessionId));
      res.status(201).json({ operator });
    }),
  );
  return router;
}
