import type { Router } from 'express';
import type { AuditLog } from '../audit/audit-log.js';
import type { Compressor } from '../compression/compressor.js';
import { auditRoutes } from '../audit/routes.js';
import { errors } from '../errors.js';
import type { OperatorService } from '../operators/operator-service.js';
import { operatorRoutes } from '../operators/routes.js';
import type { SignInInfo } from '../operators/sign-in-info.js';
import { sessionRoutes, signInRoutes } from '../sessions/routes.js';
import type { SessionService } from '../sessions/session-service.js';
import { hostedDemoInfoRoutes, hostedDemoResetRoutes, keepSharedSignIns } from '../demo/routes.js';
import type { HostedDemo } from '../demo/hosted-demo.js';
import { FleetChanges } from '../fleet/fleet-changes.js';
import { fleetRoutes } from '../fleet/routes.js';
import type { FleetRefresher } from '../fleet/fleet-refresher.js';
import type { FleetService } from '../fleet/fleet-service.js';
import type { CallerVerifications } from '../helpdesk/caller-verification.js';
import { helpdeskRoutes } from '../helpdesk/routes.js';
import type { MailService } from '../mail/mail-service.js';
import type { MailSettingsStore } from '../mail/mail-settings.js';
import { mailRoutes } from '../mail/routes.js';
import type { ReminderService } from '../reminders/reminder-service.js';
import { reminderRoutes } from '../reminders/routes.js';
import { managedServerRoutes } from '../servers/routes.js';
import type { ServerService } from '../servers/server-service.js';
import { setupRoutes } from '../setup/routes.js';
import { ssoRoutes } from '../sso/routes.js';
import type { SsoService } from '../sso/sso-service.js';
import type { SetupService } from '../setup/setup-service.js';
import { whmRoutes } from '../whm/routes.js';
import type { WhmService } from '../whm/whm-service.js';
import type { CookieSettings } from './context.js';
import { BODY_LIMIT, jsonBody } from './json-body.js';
import { authenticate, csrf, totpEnrollmentGate } from './middleware.js';
import { capability, strictRouter } from './router.js';

export interface ApiDeps {
  sessions: SessionService;
  operators: OperatorService;
  whm: WhmService;
  audit: AuditLog;
  cookie: CookieSettings;
  signIn?: SignInInfo;
  /** The first-admin setup link (absent: /api/setup is not found). */
  setup?: SetupService;
  /** The fleet's cached readings (absent in tests that build the API without them). */
  fleet?: FleetService | undefined;
  fleetRefresher?: FleetRefresher | undefined;
  /** WHM servers added in the console (absent in tests that build the API without them). */
  servers?: ServerService | undefined;
  /** The hosted demo (DEMO_PUBLIC; absent: /api/demo is not found). */
  hosted?: HostedDemo | undefined;
  /** Operator single sign-on (absent: /api/sso is not found). */
  sso?: SsoService | undefined;
  /** Mail to account holders and its settings (absent in tests that build the API without it). */
  mail?: { service: MailService; settings: MailSettingsStore } | undefined;
  /** Verifying a caller by a mailed code (absent with `mail`). */
  verifications?: CallerVerifications | undefined;
  /** Enrollment reminders to account holders (absent with `mail`). */
  reminders?: ReminderService | undefined;
  /** gzip/brotli for big read answers (ADR 013; absent: every answer goes as it is). */
  compressor?: Compressor;
}

/**
 * The table of contents of /api (docs/api.md): each capability's routes, mounted in order. The
 * checks between sign-in and the rest run in this order for every path after them.
 */
export function apiRouter(deps: ApiDeps): Router {
  const { sessions, whm, audit, cookie } = deps;
  const router = strictRouter();
  const json = jsonBody(BODY_LIMIT);

  router.use(capability(signInRoutes(deps))); // POST /session, GET /sign-in: before any session
  if (deps.setup) router.use(capability(setupRoutes({ setup: deps.setup, cookie }))); // /setup: the first admin
  if (deps.sso) router.use(capability(ssoRoutes({ sso: deps.sso, cookie }))); // /sso: sign-in at the provider
  if (deps.hosted) router.use(capability(hostedDemoInfoRoutes(deps.hosted))); // /demo: the reset schedule

  router.use(authenticate(sessions, cookie)); // 401 without a live session
  router.use(csrf(audit)); // 403 without X-CSRF: 1, or for a cross-site or non-JSON write
  router.use(totpEnrollmentGate(sessions)); // 403 but /session and /me/ until TOTP is set up
  router.use((req, res, next) => {
    // A JSON body, for writes only.
    if (req.method === 'GET' || req.method === 'HEAD') {
      next();
      return;
    }
    json(req, res, next);
  });

  if (deps.hosted) {
    router.use(keepSharedSignIns()); // 403 for what would lock other visitors out
    router.use(capability(hostedDemoResetRoutes({ hosted: deps.hosted, sessions, audit }))); // /demo/reset
  }
  router.use(capability(sessionRoutes(deps))); // /session: state, sign-out, step-up
  router.use(capability(whmRoutes(whm, deps.compressor))); // /servers: the servers and the WHM proxy
  if (deps.fleet && deps.fleetRefresher) {
    const changes = new FleetChanges({ upstreams: whm.upstreams(), whm, sessions, audit });
    const fleet = { fleet: deps.fleet, refresher: deps.fleetRefresher, changes, audit };
    router.use(capability(fleetRoutes(fleet))); // /fleet: every server at once, fleet-wide changes
  }
  if (deps.servers) router.use(capability(managedServerRoutes({ servers: deps.servers, audit }))); // /managed-servers: add, edit, test
  if (deps.mail) {
    const { service, settings } = deps.mail;
    router.use(capability(mailRoutes({ mail: service, settings, sessions, audit }))); // /mail: status, outbox, settings, demo mailbox
  }
  if (deps.verifications) {
    router.use(capability(helpdeskRoutes({ verifications: deps.verifications, audit }))); // /verifications: a caller's code
  }
  if (deps.reminders) router.use(capability(reminderRoutes({ reminders: deps.reminders, audit }))); // /reminders: enrollment reminders
  router.use(capability(auditRoutes(deps))); // /audit, /audit.csv: the log, its export, its check
  router.use(capability(operatorRoutes(deps))); // /operators, /settings, /me: operators, own account

  router.use(() => {
    throw errors.notFound();
  });
  return router;
}
