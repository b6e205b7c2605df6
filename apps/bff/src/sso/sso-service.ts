import { createHash, randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import * as oidc from 'openid-client';
import type { AuditLog } from '../audit/audit-log.js';
import { errors } from '../errors.js';
import { parseRoleMap, type Env } from '../env.js';
import type { Logger } from '../logger.js';
import type { OperatorRecord, OperatorStore, Role } from '../operators/operator-store.js';
import { OPERATOR_NAME_PATTERN } from '../operators/operator-service.js';
import {
  hashSessionId,
  STEP_UP_MS,
  type RequestContext,
  type SessionService,
} from '../sessions/session-service.js';
import type { ThrottleStore } from '../sessions/throttle-store.js';
import type { SsoFlow, SsoIntent, SsoStore } from './sso-store.js';

/** How single sign-on is configured (env.ts checks the variables; this reads the secret file). */
export interface SsoSettings {
  issuer: URL;
  clientId: string;
  clientSecret: string | undefined;
  redirectUri: URL;
  roleClaim: string;
  roleMap: Map<string, Role>;
  /** The sign-in button's "Sign in with …". */
  label: string;
}

export function ssoSettingsFromEnv(env: Env): SsoSettings | undefined {
  if (!env.OIDC_ISSUER || !env.OIDC_CLIENT_ID || !env.OIDC_REDIRECT_URI || !env.OIDC_ROLE_MAP) {
    return undefined;
  }
  const clientSecret = env.OIDC_CLIENT_SECRET_FILE
    ? readFileSync(env.OIDC_CLIENT_SECRET_FILE, 'utf8').trim()
    : env.OIDC_CLIENT_SECRET;
  return {
    issuer: new URL(env.OIDC_ISSUER),
    clientId: env.OIDC_CLIENT_ID,
    clientSecret: clientSecret || undefined,
    redirectUri: new URL(env.OIDC_REDIRECT_URI),
    roleClaim: env.OIDC_ROLE_CLAIM,
    roleMap: parseRoleMap(env.OIDC_ROLE_MAP),
    label: env.OIDC_LABEL,
  };
}

/** Why a sign-in at the provider did not end signed in; the sign-in page says each in words. */
export const ssoProblems = [
  'flow_unknown',
  'provider_refused',
  'provider_unreachable',
  'invalid_response',
  'no_role',
  'username_taken',
  'disabled',
  'wrong_person',
  'not_fresh',
  'session_gone',
] as const;
export type SsoProblem = (typeof ssoProblems)[number];

export class SsoFailure extends Error {
  override readonly name = 'SsoFailure';
  constructor(
    readonly problem: SsoProblem,
    /** Where the browser goes to hear of it. */
    readonly returnTo: string,
    options?: { cause?: unknown },
  ) {
    super(`single sign-on failed: ${problem}`, options);
  }
}

const FLOW_MS = 10 * 60_000;
/** A provider's clock may run this far behind ours and its re-authentication still count. */
const CLOCK_SKEW_MS = 30_000;
const ROLE_RANK: Record<Role, number> = { viewer: 1, support: 2, admin: 3 };

function sha256(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

/** A path inside the console (never another origin, never back into /api). */
export function safeReturnPath(value: unknown): string {
  if (typeof value !== 'string' || value.length > 512) return '/';
  if (!value.startsWith('/') || value.startsWith('//') || value.includes('\\')) return '/';
  if (value.startsWith('/api/') || /[^!-~]/.test(value)) return '/';
  return value;
}

/** The highest role the person's groups map to, or null when none is mapped. */
export function roleFor(groups: unknown, roleMap: Map<string, Role>): Role | null {
  const list = Array.isArray(groups) ? groups : typeof groups === 'string' ? [groups] : [];
  let best: Role | null = null;
  for (const group of list) {
    if (typeof group !== 'string') continue;
    const role = roleMap.get(group);
    if (role && (best === null || ROLE_RANK[role] > ROLE_RANK[best])) best = role;
  }
  return best;
}

/** A console username from the provider's claims, in the operators' rules, or null. */
export function usernameFor(claims: Record<string, unknown>): string | null {
  for (const key of ['preferred_username', 'email', 'sub']) {
    const value = claims[key];
    if (typeof value !== 'string' || value === '') continue;
    const name = value
      .toLowerCase()
      .replace(/[^a-z0-9._-]+/g, '-')
      .replace(/^[^a-z]+/, '')
      .slice(0, 32)
      .replace(/[-._]+$/, '');
    if (OPERATOR_NAME_PATTERN.test(name)) return name;
  }
  return null;
}

export interface SsoServiceDeps {
  settings: SsoSettings;
  store: SsoStore;
  operators: OperatorStore;
  sessions: SessionService;
  throttle: ThrottleStore;
  audit: AuditLog;
  logger: Logger;
  clock?: () => number;
}

export type SsoResult =
  | { kind: 'signed_in'; sessionId: string; returnTo: string }
  | { kind: 'stepped_up'; returnTo: string };

/**
 * Operators' sign-in at the company's OpenID provider: authorization code with PKCE, state and
 * nonce (SECURITY.md 26). Each flow is bound to the browser that began it by a cookie, so a
 * callback URL sent to someone else signs no one in.
 */
export class SsoService {
  private configuration: Promise<oidc.Configuration> | undefined;
  private readonly clock: () => number;

  constructor(private readonly deps: SsoServiceDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  get label(): string {
    return this.deps.settings.label;
  }

  /** The provider's metadata, fetched on first use (the console starts while it is down). */
  private config(): Promise<oidc.Configuration> {
    const { settings } = this.deps;
    this.configuration ??= oidc
      .discovery(
        settings.issuer,
        settings.clientId,
        undefined,
        settings.clientSecret === undefined
          ? oidc.None()
          : oidc.ClientSecretPost(settings.clientSecret),
        // Plain http only to a provider on this machine (env.ts refuses it elsewhere): tests, a lab.
        settings.issuer.protocol === 'http:' ? { execute: [oidc.allowInsecureRequests] } : {},
      )
      .catch((error: unknown) => {
        this.configuration = undefined;
        throw error;
      });
    return this.configuration;
  }

  /** Begins a flow: the provider's URL to send the browser to, and the value for its flow cookie. */
  async start(
    intent: SsoIntent,
    context: RequestContext,
    options: { sessionHash?: string; returnTo: string; loginHint?: string },
  ): Promise<{ url: string; browserValue: string }> {
    const now = this.clock();
    const wait = await this.deps.throttle.attempt(
      `sso:start:${context.sourceIp}`,
      { limit: 30, windowMs: 15 * 60_000 },
      now,
    );
    if (wait !== null) throw errors.rateLimited(wait);
    let config: oidc.Configuration;
    try {
      config = await this.config();
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'single sign-on: the provider could not be reached');
      throw new SsoFailure('provider_unreachable', options.returnTo, { cause: error });
    }
    await this.deps.store.purgeExpired(now);
    const state = oidc.randomState();
    const nonce = oidc.randomNonce();
    const codeVerifier = oidc.randomPKCECodeVerifier();
    const browserValue = randomBytes(32).toString('base64url');
    const flow: SsoFlow = {
      stateHash: sha256(state),
      browserHash: sha256(browserValue),
      codeVerifier,
      nonce,
      intent,
      sessionHash: options.sessionHash ?? null,
      returnTo: options.returnTo,
      createdAt: now,
      expiresAt: now + FLOW_MS,
    };
    await this.deps.store.insert(flow);
    const parameters: Record<string, string> = {
      redirect_uri: this.deps.settings.redirectUri.href,
      scope: 'openid profile email',
      state,
      nonce,
      code_challenge: await oidc.calculatePKCECodeChallenge(codeVerifier),
      code_challenge_method: 'S256',
    };
    // `auth_time` decides whether a sign-in counts as step-up; asked as an essential claim so that
    // providers which support the claims parameter send it without forcing a new login (max_age).
    parameters.claims = JSON.stringify({ id_token: { auth_time: { essential: true } } });
    if (intent === 'step_up') {
      // A step-up is a new proof, not the provider's remembered session.
      parameters.prompt = 'login';
      parameters.max_age = '0';
    }
    if (options.loginHint) parameters.login_hint = options.loginHint;
    return { url: oidc.buildAuthorizationUrl(config, parameters).href, browserValue };
  }

  /** Ends a flow at the callback: signs in, or records the step-up; throws `SsoFailure`. */
  async finish(
    query: string,
    browserValue: string | undefined,
    context: RequestContext,
  ): Promise<SsoResult> {
    const now = this.clock();
    const params = new URLSearchParams(query);
    const state = params.get('state');
    const flow = state ? await this.deps.store.take(sha256(state)) : undefined;
    if (
      !flow ||
      flow.expiresAt <= now ||
      !browserValue ||
      sha256(browserValue) !== flow.browserHash
    ) {
      await this.record(null, context, 'flow_unknown', 'sign_in');
      throw new SsoFailure('flow_unknown', '/login');
    }
    const fail = async (problem: SsoProblem, who: string | null, cause?: unknown) => {
      if (cause !== undefined) this.deps.logger.warn({ err: cause }, `single sign-on: ${problem}`);
      await this.record(who, context, problem, flow.intent);
      // A failed step-up leaves the operator signed in, on the page it began on.
      return new SsoFailure(problem, flow.intent === 'step_up' ? flow.returnTo : '/login', {
        cause,
      });
    };
    if (params.has('error')) throw await fail('provider_refused', null);

    let claims: Record<string, unknown>;
    try {
      const config = await this.config();
      const callback = new URL(this.deps.settings.redirectUri);
      callback.search = params.toString();
      const tokens = await oidc.authorizationCodeGrant(config, callback, {
        pkceCodeVerifier: flow.codeVerifier,
        expectedState: state ?? undefined,
        expectedNonce: flow.nonce,
        idTokenExpected: true,
        ...(flow.intent === 'step_up' ? { maxAge: 0 } : {}),
      });
      const idClaims = tokens.claims();
      if (!idClaims) throw new Error('no ID token');
      claims = { ...idClaims };
      if (claims[this.deps.settings.roleClaim] === undefined && tokens.access_token) {
        // Many providers keep groups out of the ID token; the user info endpoint has them.
        const info = await oidc.fetchUserInfo(config, tokens.access_token, idClaims.sub);
        claims = { ...info, ...idClaims };
      }
    } catch (error) {
      const unreachable =
        error instanceof TypeError || (error as { code?: string }).code === 'ECONNREFUSED';
      throw await fail(unreachable ? 'provider_unreachable' : 'invalid_response', null, error);
    }
    const subject = `${this.deps.settings.issuer.href} ${String(claims.sub)}`;
    const authTime = typeof claims.auth_time === 'number' ? claims.auth_time * 1000 : null;

    if (flow.intent === 'step_up') {
      return this.finishStepUp(flow, subject, authTime, context, fail);
    }
    const role = roleFor(claims[this.deps.settings.roleClaim], this.deps.settings.roleMap);
    const shownName = usernameFor(claims) ?? String(claims.sub).slice(0, 64);
    if (role === null) throw await fail('no_role', shownName);
    const operator = await this.provision(subject, claims, role, context, fail);
    const fresh = authTime !== null && now - authTime < STEP_UP_MS;
    const { sessionId } = await this.deps.sessions.openSession(operator, context, {
      method: 'sso',
      ...(fresh ? { stepUpUntil: authTime + STEP_UP_MS } : {}),
    });
    return { kind: 'signed_in', sessionId, returnTo: flow.returnTo };
  }

  private async finishStepUp(
    flow: SsoFlow,
    subject: string,
    authTime: number | null,
    context: RequestContext,
    fail: (problem: SsoProblem, who: string | null) => Promise<SsoFailure>,
  ): Promise<SsoResult> {
    const session = flow.sessionHash
      ? await this.deps.sessions.byHash(flow.sessionHash)
      : undefined;
    if (!session) throw await fail('session_gone', null);
    const { operator } = session;
    if (operator.ssoSubject !== subject) throw await fail('wrong_person', operator.username);
    if (authTime === null || authTime < flow.createdAt - CLOCK_SKEW_MS) {
      throw await fail('not_fresh', operator.username);
    }
    const until = this.clock() + STEP_UP_MS;
    await this.deps.sessions.grantStepUp(session.idHash, until);
    await this.deps.audit.append({
      ...this.auditBase(operator.username, operator.role, context),
      kind: 'session',
      outcome: 'success',
      detail: { event: 'step_up', method: 'sso' },
    });
    return { kind: 'stepped_up', returnTo: flow.returnTo };
  }

  /** The operator for this person: made on the first sign-in, its role kept to the groups' after. */
  private async provision(
    subject: string,
    claims: Record<string, unknown>,
    role: Role,
    context: RequestContext,
    fail: (problem: SsoProblem, who: string | null) => Promise<SsoFailure>,
  ): Promise<OperatorRecord> {
    const { operators } = this.deps;
    const existing = await operators.bySsoSubject(subject);
    if (existing) {
      if (existing.disabled) throw await fail('disabled', existing.username);
      if (existing.role === role) return existing;
      const updated = await operators.update(existing.id, { role });
      if (!updated) throw await fail('session_gone', existing.username);
      // Sessions opened under the old role end with it, as when an admin changes a role.
      await this.deps.sessions.endAllFor(existing.id);
      await this.auditOperator(updated, 'update', context, {
        before: { role: existing.role },
        after: { role },
        by: 'sso',
      });
      return updated;
    }
    const username = usernameFor(claims);
    // A local operator of the same name stays its own: the provider never takes one over.
    const created = username
      ? await operators.insertSso({ username, role, ssoSubject: subject })
      : undefined;
    if (!created) throw await fail('username_taken', username ?? String(claims.sub).slice(0, 64));
    await this.auditOperator(created, 'create', context, { role, by: 'sso' });
    return created;
  }

  private auditBase(operator: string | null, role: string | null, context: RequestContext) {
    return {
      operator,
      role,
      sourceIp: context.sourceIp,
      server: null,
      function: null,
      target: [],
      reason: null,
      requestId: context.requestId,
    };
  }

  private async auditOperator(
    record: OperatorRecord,
    action: string,
    context: RequestContext,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.append({
      ...this.auditBase(record.username, record.role, context),
      kind: 'operator',
      target: [record.username],
      outcome: 'success',
      detail: { action, ...detail },
    });
  }

  private async record(
    who: string | null,
    context: RequestContext,
    problem: SsoProblem,
    intent: SsoIntent,
  ): Promise<void> {
    await this.deps.audit.append({
      ...this.auditBase(who, null, context),
      kind: 'session',
      outcome: 'failure',
      detail: { event: intent === 'step_up' ? 'step_up' : 'login', method: 'sso', code: problem },
    });
  }
}

/** For the session of a step-up: the cookie's id turned into the hash the flow keeps. */
export function sessionHashOf(sessionId: string | undefined): string | undefined {
  return sessionId && sessionId.length <= 128 ? hashSessionId(sessionId) : undefined;
}
