import type { AuditLog } from '../audit/audit-log.js';
import { AppError, errors } from '../errors.js';
import type { Actor, SessionService } from '../sessions/session-service.js';
import type { SessionStore } from '../sessions/session-store.js';
import type { ThrottleRule, ThrottleStore } from '../sessions/throttle-store.js';
import {
  operatorView,
  type OperatorStore,
  type OperatorView,
  type Role,
} from './operator-store.js';
import type { PasswordHasher } from './passwords.js';
import type { Settings, SettingsStore } from './settings-store.js';
import { generateTotpSecret, totpUri } from './totp.js';

export const OPERATOR_NAME_PATTERN = /^[a-z][a-z0-9._-]{1,31}$/;

export interface OperatorListItem extends OperatorView {
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  activeSessions: number;
}

export interface OperatorServiceDeps {
  operators: OperatorStore;
  sessions: SessionStore;
  sessionService: SessionService;
  settings: SettingsStore;
  throttle: ThrottleStore;
  audit: AuditLog;
  hasher: PasswordHasher;
  totpIssuer: string;
  passwordThrottle: ThrottleRule;
}

/** Operator administration (admins) and an operator's own account (everyone signed in). */
export class OperatorService {
  constructor(private readonly deps: OperatorServiceDeps) {}

  async list(): Promise<OperatorListItem[]> {
    const records = await this.deps.operators.list();
    return records.map((record) => ({
      ...operatorView(record),
      disabled: record.disabled,
      createdAt: new Date(record.createdAt).toISOString(),
      lastLoginAt: record.lastLoginAt === null ? null : new Date(record.lastLoginAt).toISOString(),
      activeSessions: record.activeSessions,
    }));
  }

  async create(
    actor: Actor | null,
    input: { username: string; password: string; role: Role },
  ): Promise<OperatorView> {
    const passwordHash = await this.deps.hasher.hash(input.password);
    const record = await this.deps.operators.insert({ ...input, passwordHash });
    if (!record) {
      throw new AppError('conflict', 'An operator with this username exists.', {
        field: 'username',
      });
    }
    await this.auditOperator(actor, 'create', record.username, { role: input.role });
    return operatorView(record);
  }

  async update(
    actor: Actor | null,
    id: number,
    changes: { role?: Role | undefined; disabled?: boolean | undefined },
  ): Promise<OperatorView> {
    const before = await this.deps.operators.byId(id);
    if (!before) throw new AppError('not_found', 'No such operator.');
    const demotes = changes.role !== undefined && changes.role !== 'admin';
    if (before.role === 'admin' && !before.disabled && (demotes || changes.disabled === true)) {
      const admins = (await this.deps.operators.list()).filter(
        (item) => item.role === 'admin' && !item.disabled,
      );
      if (admins.length <= 1) {
        throw new AppError('conflict', 'The console needs at least one active admin.');
      }
    }
    const after = await this.deps.operators.update(id, {
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
    });
    if (!after) throw new AppError('not_found', 'No such operator.');
    const roleChanged = after.role !== before.role;
    const disabledNow = after.disabled && !before.disabled;
    if (roleChanged || disabledNow) await this.deps.sessionService.endAllFor(id);
    this.deps.sessionService.forgetOperator(id);
    await this.auditOperator(actor, 'update', after.username, {
      before: { role: before.role, disabled: before.disabled },
      after: { role: after.role, disabled: after.disabled },
    });
    return operatorView(after);
  }

  async endSessions(actor: Actor, id: number): Promise<void> {
    const record = await this.deps.operators.byId(id);
    if (!record) throw new AppError('not_found', 'No such operator.');
    const ended = await this.deps.sessionService.endAllFor(id);
    await this.auditOperator(actor, 'end_sessions', record.username, { ended });
  }

  async removeTotp(actor: Actor | null, id: number): Promise<void> {
    const record = await this.deps.operators.byId(id);
    if (!record) throw new AppError('not_found', 'No such operator.');
    await this.deps.operators.setTotp(id, null, null);
    this.deps.sessionService.forgetOperator(id);
    await this.auditOperator(actor, 'remove_totp', record.username, {});
  }

  async resetPassword(actor: Actor | null, id: number, password: string): Promise<void> {
    const record = await this.deps.operators.byId(id);
    if (!record) throw new AppError('not_found', 'No such operator.');
    await this.deps.operators.update(id, { passwordHash: await this.deps.hasher.hash(password) });
    await this.deps.sessionService.endAllFor(id);
    await this.auditOperator(actor, 'reset_password', record.username, {});
  }

  getSettings(): Promise<Settings> {
    return this.deps.settings.get();
  }

  async setSettings(actor: Actor, settings: Settings): Promise<Settings> {
    if (settings.requireOperatorTotp && actor.operator.totpSecret === null) {
      // Otherwise the admin who turns it on is locked out of every page but enrollment.
      throw new AppError('conflict', 'Set up your own authenticator before requiring one.');
    }
    const saved = await this.deps.settings.set(settings);
    await this.auditOperator(actor, 'settings', null, { ...settings });
    return saved;
  }

  async changeOwnPassword(
    actor: Actor,
    input: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    await this.throttled(actor, `password:${actor.operator.id}`);
    const ok = await this.deps.hasher.verify(actor.operator.passwordHash, input.currentPassword);
    if (!ok) throw errors.invalidCredentials();
    const passwordHash = await this.deps.hasher.hash(input.newPassword);
    await this.deps.operators.update(actor.operator.id, { passwordHash });
    actor.operator.passwordHash = passwordHash;
    this.deps.sessionService.forgetOperator(actor.operator.id);
    await this.auditOperator(actor, 'change_own_password', actor.operator.username, {});
  }

  async setupOwnTotp(actor: Actor): Promise<{ secret: string; otpauthUri: string }> {
    if (actor.operator.totpSecret !== null) {
      throw new AppError('conflict', 'Remove the current authenticator first.');
    }
    const secret = generateTotpSecret();
    await this.deps.sessions.setPendingTotp(actor.idHash, secret);
    actor.session.pendingTotpSecret = secret;
    return { secret, otpauthUri: totpUri(this.deps.totpIssuer, actor.operator.username, secret) };
  }

  async confirmOwnTotp(actor: Actor, code: string): Promise<OperatorView> {
    const pending = actor.session.pendingTotpSecret;
    if (pending === null) {
      throw new AppError('conflict', 'Start the authenticator setup first.');
    }
    await this.throttled(actor, `totp:${actor.operator.id}`);
    const ok = await this.deps.sessionService.checkTotpPending(actor.operator, pending, code);
    if (!ok) throw errors.invalidCredentials();
    await this.deps.sessions.setPendingTotp(actor.idHash, null);
    actor.session.pendingTotpSecret = null;
    actor.operator.totpSecret = pending;
    this.deps.sessionService.forgetOperator(actor.operator.id);
    await this.auditOperator(actor, 'enroll_own_totp', actor.operator.username, {});
    return operatorView(actor.operator);
  }

  async removeOwnTotp(actor: Actor, code: string): Promise<void> {
    const secret = actor.operator.totpSecret;
    if (secret === null) throw new AppError('conflict', 'No authenticator is set up.');
    await this.throttled(actor, `totp:${actor.operator.id}`);
    const ok = await this.deps.sessionService.checkTotpNow(actor.operator, secret, code);
    if (!ok) throw errors.invalidCredentials();
    await this.deps.operators.setTotp(actor.operator.id, null, null);
    actor.operator.totpSecret = null;
    this.deps.sessionService.forgetOperator(actor.operator.id);
    await this.auditOperator(actor, 'remove_own_totp', actor.operator.username, {});
  }

  private async throttled(actor: Actor, key: string): Promise<void> {
    const wait = await this.deps.throttle.attempt(key, this.deps.passwordThrottle, Date.now());
    if (wait !== null) throw errors.rateLimited(wait);
  }

  private async auditOperator(
    actor: Actor | null,
    action: string,
    target: string | null,
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.append({
      kind: 'operator',
      operator: actor?.operator.username ?? 'cli',
      role: actor?.operator.role ?? null,
      sourceIp: actor?.sourceIp ?? null,
      server: null,
      function: null,
      target: target === null ? [] : [target],
      reason: null,
      requestId: actor?.requestId ?? null,
      outcome: 'success',
      detail: { action, ...detail },
    });
  }
}
