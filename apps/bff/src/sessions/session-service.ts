import { signal, signals } from '../metrics/signals.js';
import { createHash, randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import { AppError, errors } from '../errors.js';
import type { PasswordHasher } from '../operators/passwords.js';
import {
  operatorView,
  type OperatorRecord,
  type OperatorStore,
  type OperatorView,
} from '../operators/operator-store.js';
import type { Settings, SettingsStore } from '../operators/settings-store.js';
import { matchTotpStep } from '../operators/totp.js';
import type { SessionRecord, SessionStore } from './session-store.js';
import type { ThrottleRule, ThrottleStore } from './throttle-store.js';

export const STEP_UP_MS = 5 * 60_000;

export interface SessionPolicy {
  idleMs: number;
  absoluteMs: number;
  /** How long a session lookup is served from memory on this instance. */
  cacheMs: number;
  /** last_seen_at is written at most this often (idle expiry is that coarse). */
  touchMs: number;
  loginPerUser: ThrottleRule;
  loginPerAddress: ThrottleRule;
  totpPerOperator: ThrottleRule;
}

export function sessionPolicy(idleMinutes: number, absoluteHours: number): SessionPolicy {
  const idleMs = idleMinutes * 60_000;
  return {
    idleMs,
    absoluteMs: absoluteHours * 3_600_000,
    cacheMs: 5_000,
    touchMs: Math.min(60_000, Math.floor(idleMs / 4)),
    loginPerUser: { limit: 5, windowMs: 15 * 60_000 },
    loginPerAddress: { limit: 20, windowMs: 15 * 60_000 },
    totpPerOperator: { limit: 5, windowMs: 15 * 60_000 },
  };
}

/** Who is calling: resolved once per request from the session cookie. */
export interface Actor {
  idHash: string;
  session: SessionRecord;
  operator: OperatorRecord;
  sourceIp: string;
  requestId: string;
}

export interface RequestContext {
  sourceIp: string;
  requestId: string;
  /** Kept with a new session only, for the operator's own session list. */
  userAgent?: string | undefined;
}

/** One of the operator's own sessions, as My account lists it. */
export interface OwnSession {
  /** Derived from the session's hash: names it for ending, cannot be turned back into a cookie. */
  id: string;
  createdAt: string;
  lastSeenAt: string;
  sourceIp: string | null;
  userAgent: string | null;
  current: boolean;
}

export const WRONG_CODE = 'The code is wrong or was used already; wait for the next one.';
export const WRONG_PASSWORD = 'The password is wrong.';

/** When an operator without TOTP stops being let in, or null while TOTP is not required. */
export function totpEnrollBy(operator: OperatorRecord, settings: Settings): number | null {
  if (!mustHaveTotp(operator, settings)) return null;
  const start = Math.max(
    settings.totpRequiredSince ?? 0,
    operator.totpGraceFrom ?? operator.createdAt,
  );
  return start + settings.totpGraceDays * 86_400_000;
}

/**
 * Whether the console's own TOTP is asked of this operator: not of one the identity provider signs
 * in, whose second factor is the provider's (docs/deploy.md "Single sign-on").
 */
function mustHaveTotp(operator: OperatorRecord, settings: Settings): boolean {
  return (
    settings.requireOperatorTotp && operator.totpSecret === null && operator.ssoSubject === null
  );
}

function sessionRef(idHash: string): string {
  return createHash('sha256').update(`session-ref:${idHash}`).digest('hex').slice(0, 32);
}

export interface SessionState {
  operator: OperatorView;
  expiresAt: string;
  idleExpiresAt: string;
  stepUpUntil: string | null;
  mustEnrollTotp: boolean;
  /** While mustEnrollTotp: when the grace period ends (sign-in without TOTP stops working). */
  totpEnrollBy: string | null;
}

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

interface CachedSession {
  session: SessionRecord;
  operator: OperatorRecord;
  loadedAt: number;
}

export interface SessionServiceDeps {
  sessions: SessionStore;
  operators: OperatorStore;
  throttle: ThrottleStore;
  settings: SettingsStore;
  audit: AuditLog;
  hasher: PasswordHasher;
  policy: SessionPolicy;
  clock?: () => number;
}

export class SessionService {
  private readonly cache = new Map<string, CachedSession>();
  /** Loads in progress: when a cached session goes stale, its concurrent requests wait on one. */
  private readonly loading = new Map<string, Promise<CachedSession | null>>();
  /** Bumped whenever cached sessions are dropped, so a load begun before cannot cache old state. */
  private invalidations = 0;
  private readonly clock: () => number;

  constructor(private readonly deps: SessionServiceDeps) {
    this.clock = deps.clock ?? Date.now;
  }

  async login(
    input: { username: string; password: string; totp?: string | undefined },
    context: RequestContext,
  ): Promise<{ sessionId: string; operator: OperatorView }> {
    const { throttle, policy, operators, hasher } = this.deps;
    const now = this.clock();
    const userKey = `login:user:${input.username.toLowerCase()}`;
    const addressKey = `login:addr:${context.sourceIp}`;
    const wait = await throttle.attemptAll(
      [
        [userKey, policy.loginPerUser],
        [addressKey, policy.loginPerAddress],
      ],
      now,
    );
    if (wait !== null) throw errors.rateLimited(wait);

    const record = await operators.byUsername(input.username);
    const fail = async (message?: string): Promise<never> => {
      const reason = message === WRONG_CODE ? 'totp' : 'password';
      signal(signals.loginFailure, () => ({ reason }));
      await this.deps.audit.append({
        ...this.auditBase(null, context),
        operator: input.username.slice(0, 64),
        kind: 'session',
        outcome: 'failure',
        detail: { event: 'login' },
      });
      throw errors.invalidCredentials(message);
    };
    if (!record || record.disabled) {
      await hasher.burn(input.password);
      return fail();
    }
    if (!(await hasher.verify(record.passwordHash, input.password))) return fail();
    if (record.role !== 'admin' && (await this.deps.settings.get()).localSignInAdminsOnly) {
      // Break-glass passwords are for admins; everyone else signs in at the identity provider.
      await Promise.all([throttle.forgive(userKey), throttle.forgive(addressKey)]);
      throw new AppError(
        'sso_required',
        'Sign in with single sign-on; console passwords are for admins only.',
      );
    }
    if (record.totpSecret !== null) {
      if (input.totp === undefined) {
        await Promise.all([throttle.forgive(userKey), throttle.forgive(addressKey)]);
        throw new AppError('totp_required', 'Enter the code from your authenticator app.');
      }
      if (!(await this.checkTotp(record, record.totpSecret, input.totp, now))) {
        // The first step said the password was right; now only the code can be wrong.
        return fail(WRONG_CODE);
      }
    } else {
      const enrollBy = totpEnrollBy(record, await this.deps.settings.get());
      if (enrollBy !== null && now >= enrollBy) {
        await this.deps.audit.append({
          ...this.auditBase(record, context),
          kind: 'session',
          outcome: 'failure',
          detail: { event: 'login', code: 'totp_enrollment_expired' },
        });
        signal(signals.loginFailure, () => ({ reason: 'totp_enrollment_expired' }));
        throw new AppError(
          'totp_enrollment_expired',
          'The time to set up two-factor sign-in has passed. Ask an admin to reset your password to get a new one.',
        );
      }
    }
    await Promise.all([throttle.reset(userKey), throttle.forgive(addressKey)]);
    return this.openSession(record, context, { method: 'password' });
  }

  /**
   * A new session for an operator whose sign-in has been checked (password and code, or the
   * identity provider); a fresh provider sign-in brings its step-up with it.
   */
  async openSession(
    record: OperatorRecord,
    context: RequestContext,
    how: { method: 'password' | 'sso'; stepUpUntil?: number | undefined },
  ): Promise<{ sessionId: string; operator: OperatorView }> {
    const now = this.clock();
    const sessionId = randomBytes(32).toString('base64url');
    const stepUpUntil =
      how.stepUpUntil !== undefined && how.stepUpUntil > now ? how.stepUpUntil : null;
    const session: SessionRecord = {
      idHash: hashSessionId(sessionId),
      operatorId: record.id,
      createdAt: now,
      lastSeenAt: now,
      expiresAt: now + this.deps.policy.absoluteMs,
      stepUpUntil,
      pendingTotpSecret: null,
      sourceIp: context.sourceIp,
      userAgent: context.userAgent?.slice(0, 300) ?? null,
    };
    await this.deps.sessions.insert(session);
    if (stepUpUntil !== null) await this.deps.sessions.setStepUp(session.idHash, stepUpUntil);
    await this.deps.operators.recordLogin(record.id, now);
    await this.deps.audit.append({
      ...this.auditBase(record, context),
      kind: 'session',
      outcome: 'success',
      detail: how.method === 'sso' ? { event: 'login', method: 'sso' } : { event: 'login' },
    });
    return { sessionId, operator: operatorView(record) };
  }

  /** A live session by its id hash (a step-up finished at the provider names its session so). */
  async byHash(idHash: string): Promise<{ idHash: string; operator: OperatorRecord } | undefined> {
    const now = this.clock();
    const session = await this.deps.sessions.get(idHash);
    if (
      !session ||
      now >= session.expiresAt ||
      now - session.lastSeenAt >= this.deps.policy.idleMs
    ) {
      return undefined;
    }
    const operator = await this.deps.operators.byId(session.operatorId);
    if (!operator || operator.disabled) return undefined;
    return { idHash, operator };
  }

  /** Records a step-up the identity provider confirmed for the session `idHash` (sso/). */
  async grantStepUp(idHash: string, until: number): Promise<void> {
    await this.deps.sessions.setStepUp(idHash, until);
    const cached = this.cache.get(idHash);
    if (cached) cached.session.stepUpUntil = until;
  }

  /**
   * The hot path of `resolve`: the actor when the session is cached, fresh, valid and needs no
   * write; otherwise undefined, and `resolve` decides (and answers 401 where it must).
   */
  resolveNow(sessionId: string | undefined, context: RequestContext): Actor | undefined {
    if (!sessionId || sessionId.length > 128) return undefined;
    const idHash = hashSessionId(sessionId);
    const entry = this.cache.get(idHash);
    if (!entry) return undefined;
    const now = this.clock();
    const { policy } = this.deps;
    const { session, operator } = entry;
    if (now - entry.loadedAt > policy.cacheMs || operator.disabled) return undefined;
    if (now >= session.expiresAt || now - session.lastSeenAt >= policy.idleMs) return undefined;
    if (now - session.lastSeenAt >= policy.touchMs) return undefined;
    return { idHash, session, operator, ...context };
  }

  /** Sessions signed in now, across every instance (for the metrics). */
  activeSessions(): Promise<number> {
    return this.deps.sessions.countActive(this.clock(), this.deps.policy.idleMs);
  }

  /** Resolves a session cookie; throws `unauthenticated` or `session_expired`. */
  async resolve(sessionId: string | undefined, context: RequestContext): Promise<Actor> {
    if (!sessionId || sessionId.length > 128) throw errors.unauthenticated();
    const idHash = hashSessionId(sessionId);
    const now = this.clock();
    let entry = this.cache.get(idHash);
    if (!entry || now - entry.loadedAt > this.deps.policy.cacheMs) {
      this.cache.delete(idHash);
      const loaded = await this.load(idHash, now);
      if (!loaded) throw errors.unauthenticated();
      entry = loaded;
    }
    const { session, operator } = entry;
    if (operator.disabled) {
      await this.end(idHash);
      throw errors.unauthenticated();
    }
    if (now >= session.expiresAt || now - session.lastSeenAt >= this.deps.policy.idleMs) {
      await this.end(idHash);
      throw errors.sessionExpired();
    }
    if (now - session.lastSeenAt >= this.deps.policy.touchMs) {
      session.lastSeenAt = now;
      await this.deps.sessions.touch(idHash, now);
    }
    return { idHash, session, operator, ...context };
  }

  private load(idHash: string, now: number): Promise<CachedSession | null> {
    const pending = this.loading.get(idHash);
    if (pending) return pending;
    const invalidations = this.invalidations;
    const load = (async () => {
      const session = await this.deps.sessions.get(idHash);
      const operator = session && (await this.deps.operators.byId(session.operatorId));
      if (!session || !operator) return null;
      const entry = { session, operator, loadedAt: now };
      if (invalidations !== this.invalidations) return entry;
      if (this.cache.size > 50_000) this.cache.clear();
      this.cache.set(idHash, entry);
      return entry;
    })().finally(() => {
      if (this.loading.get(idHash) === load) this.loading.delete(idHash);
    });
    this.loading.set(idHash, load);
    return load;
  }

  async state(actor: Actor): Promise<SessionState> {
    const settings = await this.deps.settings.get();
    const now = this.clock();
    const stepUp = actor.session.stepUpUntil;
    const enrollBy = totpEnrollBy(actor.operator, settings);
    return {
      operator: operatorView(actor.operator),
      expiresAt: new Date(actor.session.expiresAt).toISOString(),
      idleExpiresAt: new Date(
        Math.min(actor.session.expiresAt, actor.session.lastSeenAt + this.deps.policy.idleMs),
      ).toISOString(),
      stepUpUntil: stepUp !== null && stepUp > now ? new Date(stepUp).toISOString() : null,
      mustEnrollTotp: mustHaveTotp(actor.operator, settings),
      totpEnrollBy: enrollBy === null ? null : new Date(enrollBy).toISOString(),
    };
  }

  /** `mustEnrollTotp` without waiting, when the answer is known now; else undefined. */
  mustEnrollTotpNow(actor: Actor): boolean | undefined {
    if (actor.operator.totpSecret !== null || actor.operator.ssoSubject !== null) return false;
    return this.deps.settings.peek()?.requireOperatorTotp;
  }

  async mustEnrollTotp(actor: Actor): Promise<boolean> {
    return mustHaveTotp(actor.operator, await this.deps.settings.get());
  }

  async logout(actor: Actor): Promise<void> {
    await this.end(actor.idHash);
    await this.deps.audit.append({
      ...this.auditBase(actor.operator, actor),
      kind: 'session',
      outcome: 'success',
      detail: { event: 'logout' },
    });
  }

  async stepUp(
    actor: Actor,
    input: { password?: string | undefined; totp?: string | undefined },
  ): Promise<{ stepUpUntil: string }> {
    const { operator } = actor;
    const now = this.clock();
    if (operator.totpSecret === null && operator.ssoSubject !== null) {
      throw new AppError('sso_required', 'Confirm it at your identity provider.');
    }
    const key = `stepup:${operator.id}`;
    const wait = await this.deps.throttle.attempt(key, this.deps.policy.totpPerOperator, now);
    if (wait !== null) throw errors.rateLimited(wait);
    let ok: boolean;
    const usesTotp = operator.totpSecret !== null;
    if (operator.totpSecret !== null) {
      if (input.totp === undefined) {
        throw errors.invalidParams('totp', 'Confirm with a code from your authenticator app.');
      }
      ok = await this.checkTotp(operator, operator.totpSecret, input.totp, now);
    } else {
      if (input.password === undefined) {
        throw errors.invalidParams('password', 'Confirm with your password.');
      }
      ok = await this.deps.hasher.verify(operator.passwordHash, input.password);
    }
    await this.deps.audit.append({
      ...this.auditBase(operator, actor),
      kind: 'session',
      outcome: ok ? 'success' : 'failure',
      detail: { event: 'step_up', method: operator.totpSecret !== null ? 'totp' : 'password' },
    });
    if (!ok) throw errors.invalidCredentials(usesTotp ? WRONG_CODE : WRONG_PASSWORD);
    await this.deps.throttle.reset(key);
    const until = now + STEP_UP_MS;
    await this.deps.sessions.setStepUp(actor.idHash, until);
    actor.session.stepUpUntil = until;
    return { stepUpUntil: new Date(until).toISOString() };
  }

  /** This service's clock (tests move it), for anything timed against sessions. */
  now(): number {
    return this.clock();
  }

  hasStepUp(actor: Actor): boolean {
    const until = actor.session.stepUpUntil;
    return until !== null && until > this.clock();
  }

  /** Checks a TOTP code within ±1 step and claims its step, so the same code never works twice. */
  async checkTotp(
    operator: OperatorRecord,
    secret: string,
    code: string,
    now: number,
  ): Promise<boolean> {
    const step = matchTotpStep(secret, code, now);
    if (step === null) return false;
    const claimed = await this.deps.operators.claimTotpStep(operator.id, step);
    if (claimed) operator.totpLastStep = step;
    return claimed;
  }

  checkTotpNow(operator: OperatorRecord, secret: string, code: string): Promise<boolean> {
    return this.checkTotp(operator, secret, code, this.clock());
  }

  /** Confirms a pending (not yet saved) secret and claims the step the code used. */
  async checkTotpPending(operator: OperatorRecord, secret: string, code: string): Promise<boolean> {
    const now = this.clock();
    const step = matchTotpStep(secret, code, now);
    if (step === null) return false;
    const claimed = await this.deps.operators.claimTotpStep(operator.id, step);
    if (!claimed) return false;
    await this.deps.operators.setTotp(operator.id, secret, step);
    operator.totpLastStep = step;
    return true;
  }

  async end(idHash: string): Promise<void> {
    this.invalidations += 1;
    this.loading.delete(idHash);
    this.cache.delete(idHash);
    await this.deps.sessions.delete(idHash);
  }

  /** Ends every session of an operator (on this instance's cache at once, elsewhere within cacheMs). */
  async endAllFor(operatorId: number): Promise<number> {
    this.invalidations += 1;
    this.loading.clear();
    for (const [idHash, entry] of this.cache) {
      if (entry.operator.id === operatorId) this.cache.delete(idHash);
    }
    return this.deps.sessions.deleteForOperator(operatorId);
  }

  async listOwn(actor: Actor): Promise<OwnSession[]> {
    const now = this.clock();
    const { idleMs } = this.deps.policy;
    const sessions = await this.deps.sessions.listForOperator(actor.operator.id);
    return sessions
      .filter((s) => s.expiresAt > now && now - s.lastSeenAt < idleMs)
      .map((s) => ({
        id: sessionRef(s.idHash),
        createdAt: new Date(s.createdAt).toISOString(),
        lastSeenAt: new Date(s.idHash === actor.idHash ? now : s.lastSeenAt).toISOString(),
        sourceIp: s.sourceIp,
        userAgent: s.userAgent,
        current: s.idHash === actor.idHash,
      }));
  }

  /** Ends one of the operator's own sessions by its list id; false when there is none. */
  async endOwn(actor: Actor, id: string): Promise<boolean> {
    const sessions = await this.deps.sessions.listForOperator(actor.operator.id);
    const match = sessions.find((s) => sessionRef(s.idHash) === id);
    if (!match) return false;
    await this.end(match.idHash);
    return true;
  }

  /** Ends every session of this operator but the caller's (a password change, "sign out elsewhere"). */
  async endOthers(actor: Actor): Promise<number> {
    this.forgetOperator(actor.operator.id);
    return this.deps.sessions.deleteForOperatorExcept(actor.operator.id, actor.idHash);
  }

  /** Drops cached copies of an operator so the next request reads the database. */
  forgetOperator(operatorId: number): void {
    this.invalidations += 1;
    this.loading.clear();
    for (const [idHash, entry] of this.cache) {
      if (entry.operator.id === operatorId) this.cache.delete(idHash);
    }
  }

  async purgeExpired(): Promise<void> {
    await this.deps.sessions.purgeExpired(this.clock(), this.deps.policy.idleMs);
  }

  private auditBase(operator: OperatorRecord | null, context: RequestContext) {
    return {
      operator: operator?.username ?? null,
      role: operator?.role ?? null,
      sourceIp: context.sourceIp,
      server: null,
      function: null,
      target: [],
      reason: null,
      requestId: context.requestId,
    };
  }
}
