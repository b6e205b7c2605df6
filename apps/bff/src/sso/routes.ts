import type { Response, Router } from 'express';
import { AppError } from '../errors.js';
import {
  rawQueryOf,
  readCookie,
  requestContext,
  sessionCookie,
  type CookieSettings,
} from '../http/context.js';
import { handle, isCrossSite } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { safeReturnPath, sessionHashOf, SsoFailure, type SsoService } from './sso-service.js';

/** The flow cookie: Lax, unlike the session's, because the provider's redirect back is cross-site. */
function flowCookie(cookie: CookieSettings, value: string | null): string {
  const attributes = [
    `${cookie.secure ? '__Host-' : ''}sso_flow=${value ?? ''}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Lax',
    `Max-Age=${value === null ? 0 : 600}`,
  ];
  if (cookie.secure) attributes.push('Secure');
  return attributes.join('; ');
}

/** Back to the console with the problem in the query, for the page to say in words. */
function redirectWithProblem(res: Response, path: string, problem: string): void {
  const url = new URL(path, 'http://console.invalid');
  url.searchParams.set('sso_error', problem);
  res.redirect(303, `${url.pathname}${url.search}`);
}

/**
 * `/api/sso/start` and `/api/sso/callback`: browser navigations, not fetches, so they carry no
 * X-CSRF; they run before authentication and read the session cookie themselves.
 */
export function ssoRoutes(deps: { sso: SsoService; cookie: CookieSettings }): Router {
  const { sso, cookie } = deps;
  const router = strictRouter();
  const flowCookieName = `${cookie.secure ? '__Host-' : ''}sso_flow`;

  router.get(
    '/sso/start',
    handle(async (req, res) => {
      // The app parses no query strings (ADR 006): read this one here.
      const query = new URLSearchParams(rawQueryOf(req.originalUrl));
      const intent = query.get('intent') === 'step-up' ? 'step_up' : 'sign_in';
      const returnTo = safeReturnPath(query.get('return'));
      const failTo = intent === 'step_up' ? returnTo : '/login';
      if (isCrossSite(req)) {
        // Only the console's own button begins a flow.
        redirectWithProblem(res, failTo, 'flow_unknown');
        return;
      }
      let sessionHash: string | undefined;
      if (intent === 'step_up') {
        sessionHash = sessionHashOf(readCookie(req.headers.cookie, cookie.name));
        if (!sessionHash) {
          redirectWithProblem(res, '/login', 'session_gone');
          return;
        }
      }
      try {
        const started = await sso.start(intent, requestContext(req, res), {
          returnTo,
          ...(sessionHash ? { sessionHash } : {}),
        });
        res.setHeader('set-cookie', flowCookie(cookie, started.browserValue));
        res.redirect(303, started.url);
      } catch (error) {
        if (error instanceof SsoFailure) redirectWithProblem(res, failTo, error.problem);
        else if (error instanceof AppError && error.code === 'rate_limited') {
          redirectWithProblem(res, failTo, 'rate_limited');
        } else throw error;
      }
    }),
  );

  router.get(
    '/sso/callback',
    handle(async (req, res) => {
      const browserValue = readCookie(req.headers.cookie, flowCookieName);
      const query = req.originalUrl.includes('?') ? (req.originalUrl.split('?')[1] ?? '') : '';
      const cookies = [flowCookie(cookie, null)];
      try {
        const result = await sso.finish(query, browserValue, {
          ...requestContext(req, res),
          userAgent: req.headers['user-agent'],
        });
        if (result.kind === 'signed_in') cookies.push(sessionCookie(cookie, result.sessionId));
        res.setHeader('set-cookie', cookies);
        res.redirect(303, result.returnTo);
      } catch (error) {
        if (!(error instanceof SsoFailure)) throw error;
        res.setHeader('set-cookie', cookies);
        redirectWithProblem(res, error.returnTo, error.problem);
      }
    }),
  );
  return router;
}
