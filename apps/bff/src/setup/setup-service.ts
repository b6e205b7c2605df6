import { createHash, randomBytes } from 'node:crypto';
import type { AuditLog } from '../audit/audit-log.js';
import type { Database } from '../db/database.js';
import { AppError, errors } from '../errors.js';
import { OperatorStore, type OperatorView } from '../operators/operator-store.js';
import type { PasswordHasher } from '../operators/passwords.js';
import type { RequestContext, SessionService } from '../sessions/session-service.js';
import type { ThrottleRule, ThrottleStore } from '../sessions/throttle-store.js';
import { SetupStore } from './setup-store.js';

/** How long a printed link works. */
export const SETUP_LINK_MS = 30 * 60_000;
/** Wrong tokens per source address; a token has 256 bits, so this only keeps the audit log calm. */
export const SETUP_PER_ADDRESS: ThrottleRule = { limit: 10, windowMs: 15 * 60_000 };

/** Only one first admin, even when two instances are sent a link each at the same moment. */
const FIRST_ADMIN_LOCK = 724012;

export interface SetupLink {
  /** Shown once on standard output (main.ts), never logged, never kept but as a hash. */
  token: string;
  expiresAt: number;
}

export function hashSetupToken(token: string): string {
  return createHash('sha256').update(`setup-token:${token}`).digest('hex');
}

/** The lines start-up prints for a link: the URL with the token in its fragment, and what to do. */
export function setupLinkLines(consoleUrl: string, link: SetupLink): string[] {
  return [
    `No operator exists yet. Create the first admin with this one-time link (until ${new Date(link.expiresAt).toISOString()}):`,
    `  ${consoleUrl}/setup#token=${link.token}`,
    '  Behind a reverse proxy, open it at the public address (keep the part from /setup on).',
    '  Or run: npm run operators -- add NAME admin',
  ];
}

export interface SetupServiceDeps {
  db: Database;
  throttle: ThrottleStore;
  audit: AuditLog;
  hasher: PasswordHasher;
  sessions: SessionService;
  clock: () => number;
}

type Outcome = 'created' | 'closed' | 'setup_token_invalid' | 'setup_token_expired';

const REFUSALS = {
  setup_token_invalid: () =>
    new AppError(
      'setup_token_invalid',
      'This setup link is not valid: open the link exactly as the console printed it, or restart the console for a new one.',
      { field: 'token' },
    ),
  setup_token_expired: () =>
    new AppError(
      'setup_token_expired',
      'This setup link has expired (it works for 30 minutes): restart the console for a new one.',
      { field: 'token' },
    ),
};

/**
 * The first admin, made in the browser with a link start-up printed (docs/decisions/011). Open
 * while no operator exists; closed for good as soon as one does, however it was made.
 */
export class SetupService {
  private readonly store: SetupStore;
  private readonly operators: OperatorStore;
  /** Operators never all go (the last admin cannot be removed), so "closed" is never undone. */
  private closed = false;

  constructor(private readonly deps: SetupServiceDeps) {
    this.store = new SetupStore(deps.db);
    this.operators = new OperatorStore(deps.db);
  }

  /** At start-up outside demo mode: a new link while no operator exists, else none. */
  async open(): Promise<SetupLink | undefined> {
    if (!(await this.isOpen())) return undefined;
    const now = this.deps.clock();
    const token = randomBytes(32).toString('base64url');
    await this.store.purgeExpired(now);
    const link = { token, expiresAt: now + SETUP_LINK_MS };
    await this.store.insert({
      tokenHash: hashSetupToken(token),
      createdAt: now,
      expiresAt: link.expiresAt,
    });
    return link;
  }

  async isOpen(): Promise<boolean> {
    if (this.closed) return false;
    if ((await this.operators.count()) === 0) return true;
    await this.close();
    return false;
  }

  /** Creates the first admin with a printed token and signs them in. */
  async complete(
    input: { token: string; username: string; password: string },
    context: RequestContext,
  ): Promise<{ sessionId: string; operator: OperatorView }> {
    if (!(await this.isOpen())) throw errors.notFound();
    const now = this.deps.clock();
    const addressKey = `setup:addr:${context.sourceIp}`;
    const wait = await this.deps.throttle.attempt(addressKey, SETUP_PER_ADDRESS, now);
    if (wait !== null) throw errors.rateLimited(wait);

    const passwordHash = await this.deps.hasher.hash(input.password);
    const tokenHash = hashSetupToken(input.token);
    // Everything inside uses `tx` only: PGlite runs nothing else until the transaction ends.
    const outcome = await this.deps.db.transaction(async (tx): Promise<Outcome> => {
      await tx.query(`SELECT pg_advisory_xact_lock(${FIRST_ADMIN_LOCK})`);
      const operators = new OperatorStore(tx);
      if ((await operators.count()) > 0) return 'closed';
      const record = await new SetupStore(tx).byHash(tokenHash);
      if (!record) return 'setup_token_invalid';
      if (now >= record.expiresAt) return 'setup_token_expired';
      const created = await operators.insert({
        username: input.username,
        passwordHash,
        role: 'admin',
      });
      if (!created) return 'closed';
      await new SetupStore(tx).deleteAll();
      return 'created';
    });

    if (outcome === 'closed') {
      await this.close();
      throw errors.notFound();
    }
    if (outcome !== 'created') {
      await this.audit(context, null, 'failure', { code: outcome });
      throw REFUSALS[outcome]();
    }
    this.closed = true;
    await this.deps.throttle.reset(addressKey);
    await this.audit(context, input.username, 'success', { role: 'admin' });
    return this.deps.sessions.login(
      { username: input.username, password: input.password },
      context,
    );
  }

  private async close(): Promise<void> {
    this.closed = true;
    await this.store.deleteAll();
  }

  private async audit(
    context: RequestContext,
    username: string | null,
    outcome: 'success' | 'failure',
    detail: Record<string, unknown>,
  ): Promise<void> {
    await this.deps.audit.append({
      kind: 'operator',
      operator: username,
      role: username === null ? null : 'admin',
      sourceIp: context.sourceIp,
      server: null,
      function: null,
      target: username === null ? [] : [username],
      reason: null,
      requestId: context.requestId,
      outcome,
      detail: { action: 'setup_first_admin', ...detail },
    });
  }
}
