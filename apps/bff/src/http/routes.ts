import express, { type Router } from 'express';
import type { AuditLog, AuditRecord } from '../audit/audit-log.js';
import { AppError, errors } from '../errors.js';
import type { OperatorService } from '../operators/operator-service.js';
import { signInInfo, type SignInInfo } from '../operators/sign-in-info.js';
import type { SessionService } from '../sessions/session-service.js';
import { setupRoutes } from '../setup/routes.js';
import type { SetupService } from '../setup/setup-service.js';
import type { WhmService } from '../whm/whm-service.js';
import {
  actorOf,
  locals,
  rawQueryOf,
  requestContext,
  sessionCookie,
  whmCallOf,
  type CookieSettings,
} from './context.js';
import {
  authenticate,
  csrf,
  handle,
  isCrossSite,
  isJson,
  requireRole,
  totpEnrollmentGate,
} from './middleware.js';
import { jsonBody } from './json-body.js';
import { sendAnswer } from './respond.js';
import {
  auditCsvQuery,
  auditQuery,
  changePasswordBody,
  codeBody,
  createOperatorBody,
  loginBody,
  operatorId,
  ownSessionId,
  parseWith,
  patchOperatorBody,
  queryObject,
  resetPasswordBody,
  settingsBody,
  stepUpBody,
} from './schemas.js';

export interface ApiDeps {
  sessions: SessionService;
  operators: OperatorService;
  whm: WhmService;
  audit: AuditLog;
  cookie: CookieSettings;
  signIn?: SignInInfo;
  /** The first-admin setup link (absent: /api/setup is not found). */
  setup?: SetupService;
}

const BODY_LIMIT = '16kb';

/** Every /api path, in one place (docs/api.md). */
export function apiRouter(deps: ApiDeps): Router {
  const { sessions, operators, whm, audit, cookie } = deps;
  const router = express.Router({ caseSensitive: true, strict: true });
  const json = jsonBody(BODY_LIMIT);

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
    json,
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

  // Before authentication: the sign-in page shows it. Still X-CSRF, like every /api call but login.
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

  if (deps.setup) router.use(setupRoutes({ setup: deps.setup, cookie }));

  router.use(authenticate(sessions, cookie));
  router.use(csrf(whm));
  router.use(totpEnrollmentGate(sessions));
  router.use((req, res, next) => {
    if (req.method === 'GET' || req.method === 'HEAD') {
      next();
      return;
    }
    json(req, res, next);
  });

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

  router.get('/servers', (_req, res) => {
    res.json({ servers: whm.servers() });
  });

  router.get(
    '/servers/:server/whm-user',
    handle(async (req, res) => {
      res.json(await whm.whmUserTwoFactor(String(req.params.server)));
    }),
  );

  router.get(
    '/servers/:server/two-factor-availability',
    handle(async (req, res) => {
      res.json(await whm.twoFactorAvailability(String(req.params.server)));
    }),
  );

  router.all(
    '/servers/:server/whm/:function',
    handle(async (req, res) => {
      const actor = actorOf(res);
      const answer = await whm.call(
        actor,
        whmCallOf(req, String(req.params.server), String(req.params.function), req.body),
        (upstream, call) => upstream.viaProxy(req, res, call),
      );
      sendAnswer(res, answer);
    }),
  );

  const admin = requireRole('admin', whm);

  router.get(
    '/audit',
    (req, res, next) => {
      // Support reads the records of its own actions; viewers none.
      if (locals(res).actor?.operator.role === 'support') next();
      else admin(req, res, next);
    },
    handle(async (req, res) => {
      const filters = parseWith(auditQuery, queryObject(rawQueryOf(req.url)));
      const actor = actorOf(res);
      if (actor.operator.role !== 'admin') filters.operator = actor.operator.username;
      res.json(await audit.list(filters));
    }),
  );
  router.get(
    '/audit.csv',
    admin,
    handle(async (req, res) => {
      const filters = parseWith(auditCsvQuery, queryObject(rawQueryOf(req.url)));
      const { records } = await audit.list(filters);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', 'attachment; filename="audit.csv"');
      res.send(auditCsv(records));
    }),
  );
  router.get(
    '/audit/verify',
    admin,
    handle(async (_req, res) => {
      res.json(await audit.verify());
    }),
  );

  router.get(
    '/operators',
    admin,
    handle(async (_req, res) => {
      res.json({ operators: await operators.list() });
    }),
  );
  router.post(
    '/operators',
    admin,
    handle(async (req, res) => {
      const body = parseWith(createOperatorBody, req.body);
      res.status(201).json({ operator: await operators.create(actorOf(res), body) });
    }),
  );
  router.patch(
    '/operators/:id',
    admin,
    handle(async (req, res) => {
      const id = parseWith(operatorId, req.params.id);
      const body = parseWith(patchOperatorBody, req.body);
      res.json({ operator: await operators.update(actorOf(res), id, body) });
    }),
  );
  router.delete(
    '/operators/:id',
    admin,
    handle(async (req, res) => {
      await operators.delete(actorOf(res), parseWith(operatorId, req.params.id));
      res.status(204).end();
    }),
  );
  router.post(
    '/operators/:id/password',
    admin,
    handle(async (req, res) => {
      const id = parseWith(operatorId, req.params.id);
      const { password } = parseWith(resetPasswordBody, req.body);
      await operators.resetPassword(actorOf(res), id, password);
      res.status(204).end();
    }),
  );
  router.delete(
    '/operators/:id/sessions',
    admin,
    handle(async (req, res) => {
      await operators.endSessions(actorOf(res), parseWith(operatorId, req.params.id));
      res.status(204).end();
    }),
  );
  router.delete(
    '/operators/:id/totp',
    admin,
    handle(async (req, res) => {
      await operators.removeTotp(actorOf(res), parseWith(operatorId, req.params.id));
      res.status(204).end();
    }),
  );
  router.get(
    '/settings',
    admin,
    handle(async (_req, res) => {
      res.json(await operators.getSettings());
    }),
  );
  router.put(
    '/settings',
    admin,
    handle(async (req, res) => {
      res.json(await operators.setSettings(actorOf(res), parseWith(settingsBody, req.body)));
    }),
  );

  router.post(
    '/me/password',
    handle(async (req, res) => {
      await operators.changeOwnPassword(actorOf(res), parseWith(changePasswordBody, req.body));
      res.status(204).end();
    }),
  );
  router.get(
    '/me/sessions',
    handle(async (_req, res) => {
      res.json({ sessions: await operators.listOwnSessions(actorOf(res)) });
    }),
  );
  router.delete(
    '/me/sessions',
    handle(async (_req, res) => {
      res.json({ ended: await operators.endOtherOwnSessions(actorOf(res)) });
    }),
  );
  router.delete(
    '/me/sessions/:id',
    handle(async (req, res) => {
      await operators.endOwnSession(actorOf(res), parseWith(ownSessionId, req.params.id));
      res.status(204).end();
    }),
  );
  router.post(
    '/me/totp/setup',
    handle(async (_req, res) => {
      res.json(await operators.setupOwnTotp(actorOf(res)));
    }),
  );
  router.post(
    '/me/totp/confirm',
    handle(async (req, res) => {
      const { code } = parseWith(codeBody, req.body);
      res.json({ operator: await operators.confirmOwnTotp(actorOf(res), code) });
    }),
  );
  router.delete(
    '/me/totp',
    handle(async (req, res) => {
      const { code } = parseWith(codeBody, req.body);
      await operators.removeOwnTotp(actorOf(res), code);
      res.status(204).end();
    }),
  );

  router.use(() => {
    throw errors.notFound();
  });
  return router;
}

/** CSV with every cell quoted; cells that a spreadsheet would run as a formula get a `'`. */
export function auditCsv(records: readonly AuditRecord[]): string {
  const header = [
    'id',
    'at',
    'kind',
    'operator',
    'role',
    'sourceIp',
    'server',
    'function',
    'target',
    'reason',
    'requestId',
    'outcome',
    'detail',
    'prevHash',
    'hash',
  ];
  const cell = (value: string | number | null): string => {
    let text = value === null ? '' : String(value);
    if (/^[=+\-@\t\r]/.test(text)) text = `'${text}`;
    return `"${text.replace(/"/g, '""')}"`;
  };
  const lines = [header.join(',')];
  for (const record of records) {
    lines.push(
      [
        record.id,
        record.at,
        record.kind,
        record.operator,
        record.role,
        record.sourceIp,
        record.server,
        record.function,
        record.target.join(' '),
        record.reason,
        record.requestId,
        record.outcome,
        JSON.stringify(record.detail),
        record.prevHash,
        record.hash,
      ]
        .map(cell)
        .join(','),
    );
  }
  return `${lines.join('\r\n')}\r\n`;
}

export { AppError };
