import type { AuditLog } from '../audit/audit-log.js';
import { AppError, errors } from '../errors.js';
import {
  WRONG_CODE,
  type Actor,
  type OwnSession,
  type SessionService,
} from '../sessions/session-service.js';
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
/** The SPA shows the same rule before anyone types (apps/web lib/operator-names.ts). */
export const OPERATOR_NAME_RULE =
  'must be 2 to 32 characters: lower-case letters, digits, ".", "_" or "-", starting with a letter';

export interface OperatorListItem extends OperatorView {
  disabled: boolean;
  createdAt: string;
  lastLoginAt: string | null;
  activeSessions: number;
}

/** The settings as the API shows them. */
export interface SettingsView {
  requireOperatorTotp: boolean;
  totpGraceDays: number;
  totpRequiredSince: string | null;
  localSignInAdminsOnly: boolean;
  /** Whether single sign-on is configured (OIDC_ISSUER): the break-glass setting needs it. */
  ssoConfigured: boolean;
}

function settingsView(settings: Settings, ssoConfigured: boolean): SettingsView {
  return {
    localSignInAdminsOnly: settings.localSignInAdminsOnly,
    ssoConfigured,
    requireOperatorTotp: settings.requireOperatorTotp,
    totpGraceDays: settings.totpGraceDays,
    totpRequiredSince:
      settings.totpRequiredSince === null
        ? null
        : new Date(settings.totpRequiredSince).toISOString(),
  };
}

const USE_MY_ACCOUNT = 'Change your own account under My account.';

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
  ssoConfigured: boolean;
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
    input: {
      username: string;
      password: string;
      role: Role;
      serverTags?: readonly string[] | null | undefined;
    },
  ): Promise<OperatorView> {
    this.requireStepUp(actor);
    const passwordHash = await this.deps.hasher.hash(input.password);
    let record = await this.deps.operators.insert({
      username: input.username,
      role: input.role,
      passwordHash,
    });
    if (record && input.serverTags) {
      record = await this.deps.operators.setServerTags(record.id, input.serverTags);
    }
    if (!record) {
      throw new AppError('conflict', 'An operator with this username exists.', {
        field: 'username',
      });
    }
    await this.auditOperator(actor, 'create', record.username, {
      role: input.role,
      ...(input.serverTags ? { serverTags: input.serverTags } : {}),
    });
    return operatorView(record);
  }

  async update(
    actor: Actor | null,
    id: number,
    changes: {
      role?: Role | undefined;
      disabled?: boolean | undefined;
      serverTags?: readonly string[] | null | undefined;
    },
  ): Promise<OperatorView> {
    const before = await this.deps.operators.byId(id);
    if (!before) throw new AppError('not_found', 'No such operator.');
    if (actor && actor.operator.id === id) {
      throw errors.forbidden('You cannot change your own role, servers or disable yourself.');
    }
    const roleChanges = changes.role !== undefined && changes.role !== before.role;
    const tagsChange =
      changes.serverTags !== undefined &&
      JSON.stringify(
        changes.serverTags === null ? null : [...new Set(changes.serverTags)].sort(),
      ) !== JSON.stringify(before.serverTags);
    // A new role, other servers or a way back in: each can give someone more than they had.
    if (roleChanges || tagsChange || (changes.disabled === false && before.disabled)) {
      this.requireStepUp(actor);
    }
    const demotes = changes.role !== undefined && changes.role !== 'admin';
    if (before.role === 'admin' && !before.disabled && (demotes || changes.disabled === true)) {
      await this.keepAnAdmin();
    }
    let after = await this.deps.operators.update(id, {
      ...(changes.role !== undefined ? { role: changes.role } : {}),
      ...(changes.disabled !== undefined ? { disabled: changes.disabled } : {}),
    });
    if (after && tagsChange) {
      after = await this.deps.operators.setServerTags(id, changes.serverTags ?? null);
    }
    if (!after) throw new AppError('not_found', 'No such operator.');
    const roleChanged = after.role !== before.role;
    const disabledNow = after.disabled && !before.disabled;
    if (roleChanged || disabledNow) await this.deps.sessionService.endAllFor(id);
    this.deps.sessionService.forgetOperator(id);
    await this.auditOperator(actor, 'update', after.username, {
      before: { role: before.role, disabled: before.disabled, serverTags: before.serverTags },
      after: { role: after.role, disabled: after.disabled, serverTags: after.serverTags },
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
    // An admin's own TOTP goes only with a code (DELETE /api/me/totp): a stolen session is not enough.
    if (actor && actor.operator.id === id) throw errors.forbidden(USE_MY_ACCOUNT);
    this.requireStepUp(actor);
    const record = await this.deps.operators.byId(id);
    if (!record) throw new AppError('not_found', 'No such operator.');
    await this.deps.operators.setTotp(id, null, null);
    this.deps.sessionService.forgetOperator(id);
    await this.auditOperator(actor, 'remove_totp', record.username, {});
  }

  /** Also restarts the operator's TOTP grace period: the way back in after it ran out. */
  async resetPassword(actor: Actor | null, id: number, password: string): Promise<void> {
    if (actor && actor.operator.id === id) throw errors.forbidden(USE_MY_ACCOUNT);
    this.requireStepUp(actor);
    const record = await this.deps.operators.byId(id);
    if (!record) throw new AppError('not_found', 'No such operator.');
    await this.deps.operators.update(id, {
      passwordHash: await this.deps.hasher.hash(password),
      totpGraceFrom: this.deps.sessionService.now(),
    });
    const ended = await this.deps.sessionService.endAllFor(id);
    await this.auditOperator(actor, 'reset_password', record.username, { ended });
  }

  async delete(actor: Actor | null, id: number): Promise<void> {
    if (actor && actor.operator.id === id) throw errors.forbidden('You cannot delete yourself.');
    this.requireStepUp(actor);
    const record = await this.deps.operators.byId(id);
    if (!record) throw new AppError('not_found', 'No such operator.');
    if (record.role === 'admin' && !record.disabled) await this.keepAnAdmin();
    const ended = await this.deps.sessionService.endAllFor(id);
    if (!(await this.deps.operators.delete(id)))
      throw new AppError('not_found', 'No such operator.');
    this.deps.sessionService.forgetOperator(id);
    await this.auditOperator(actor, 'delete', record.username, { role: record.role, ended });
  }

  async getSettings(): Promise<SettingsView> {
    return settingsView(await this.deps.settings.get(), this.deps.ssoConfigured);
  }

  async setSettings(
    actor: Actor,
    input: {
      requireOperatorTotp: boolean;
      totpGraceDays?: number | undefined;
      localSignInAdminsOnly?: boolean | undefined;
    },
  ): Promise<SettingsView> {
    const before = await this.deps.settings.get();
    const totpGraceDays = input.totpGraceDays ?? before.totpGraceDays;
    const localSignInAdminsOnly = input.localSignInAdminsOnly ?? before.localSignInAdminsOnly;
    if (localSignInAdminsOnly && !before.localSignInAdminsOnly && !this.deps.ssoConfigured) {
      // Without a provider the support and viewer operators would have no way in at all.
      throw new AppError(
        'conflict',
        'Single sign-on is not configured: passwords are the only way in.',
        { field: 'localSignInAdminsOnly' },
      );
    }
    const relaxes =
      (before.requireOperatorTotp && !input.requireOperatorTotp) ||
      (input.requireOperatorTotp && totpGraceDays > before.totpGraceDays) ||
      (before.localSignInAdminsOnly && !localSignInAdminsOnly);
    if (relaxes) this.requireStepUp(actor);
    if (
      input.requireOperatorTotp &&
      actor.operator.totpSecret === null &&
      actor.operator.ssoSubject === null
    ) {
      // Otherwise the admin who turns it on is locked out of every page but enrollment.
      throw new AppError('conflict', 'Set up your own authenticator before requiring one.');
    }
    let totpRequiredSince: number | null = null;
    if (input.requireOperatorTotp) {
      totpRequiredSince = before.requireOperatorTotp
        ? before.totpRequiredSince
        : this.deps.sessionService.now();
    }
    const saved = await this.deps.settings.set({
      requireOperatorTotp: input.requireOperatorTotp,
      totpGraceDays,
      totpRequiredSince,
      localSignInAdminsOnly,
    });
    await this.auditOperator(actor, 'settings', null, {
      requireOperatorTotp: saved.requireOperatorTotp,
      totpGraceDays: saved.totpGraceDays,
      localSignInAdminsOnly: saved.localSignInAdminsOnly,
    });
    return settingsView(saved, this.deps.ssoConfigured);
  }

  async changeOwnPassword(
    actor: Actor,
    input: { currentPassword: string; newPassword: string },
  ): Promise<void> {
    await this.throttled(actor, `password:${actor.operator.id}`);
    const ok = await this.deps.hasher.verify(actor.operator.passwordHash, input.currentPassword);
    if (!ok) throw errors.invalidCredentials('The current password is wrong.');
    const passwordHash = await this.deps.hasher.hash(input.newPassword);
    await this.deps.operators.update(actor.operator.id, { passwordHash });
    actor.operator.passwordHash = passwordHash;
    // Whoever knew the old password and signed in with it is signed out.
    const ended = await this.deps.sessionService.endOthers(actor);
    await this.auditOperator(actor, 'change_own_password', actor.operator.username, { ended });
  }

  listOwnSessions(actor: Actor): Promise<OwnSession[]> {
    return this.deps.sessionService.listOwn(actor);
  }

  async endOwnSession(actor: Actor, id: string): Promise<void> {
    const own = await this.deps.sessionService.listOwn(actor);
    if (own.find((s) => s.id === id)?.current) {
      throw new AppError('conflict', 'This is your current session: sign out instead.');
    }
    if (!(await this.deps.sessionService.endOwn(actor, id))) {
      throw new AppError('not_found', 'No such session.');
    }
    await this.auditOperator(actor, 'end_own_session', actor.operator.username, { ended: 1 });
  }

  async endOtherOwnSessions(actor: Actor): Promise<number> {
    const ended = await this.deps.sessionService.endOthers(actor);
    await this.auditOperator(actor, 'end_own_sessions', actor.operator.username, { ended });
    return ended;
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
    if (!ok) throw errors.invalidCredentials(WRONG_CODE);
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
    if (!ok) throw errors.invalidCredentials(WRONG_CODE);
    await this.deps.operators.setTotp(actor.operator.id, null, null);
    actor.operator.totpSecret = null;
    this.deps.sessionService.forgetOperator(actor.operator.id);
    await this.auditOperator(actor, 'remove_own_totp', actor.operator.username, {});
  }

  /** The command line (no actor) is trusted; a browser session proves itself again first. */
  private requireStepUp(actor: Actor | null): void {
    if (actor && !this.deps.sessionService.hasStepUp(actor)) throw errors.stepUp();
  }

  private async keepAnAdmin(): Promise<void> {
    const admins = (await this.deps.operators.list()).filter(
      (item) => item.role === 'admin' && !item.disabled,
    );
    if (admins.length <= 1) {
      throw new AppError('conflict', 'The console needs at least one active admin.');
    }
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
