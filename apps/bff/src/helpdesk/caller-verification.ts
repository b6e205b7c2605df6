import { createHmac, randomBytes, randomInt, timingSafeEqual } from 'node:crypto';
import type { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { auditBase } from '../audit/request-records.js';
import type { Database } from '../db/database.js';
import { AppError, errors } from '../errors.js';
import { requireServer } from '../fleet/server-scope.js';
import type { MailService } from '../mail/mail-service.js';
import type { MailSettingsStore } from '../mail/mail-settings.js';
import { verificationCode } from '../mail/templates.js';
import type { Actor } from '../sessions/session-service.js';
import { ThrottleStore, type ThrottleRule } from '../sessions/throttle-store.js';
import { toAppError } from '../whm/answers.js';
import { checkOrdinaryTargets } from '../whm/ordinary-targets.js';
import { directRead } from '../whm/prepared-calls.js';
import type { WhmUpstream } from '../whm/upstream.js';
import { hostNameOf, maskAddress, readContacts } from './account-contacts.js';
import {
  verificationId,
  type sendCodeBody,
  type VerificationMethod,
} from './verification-schemas.js';

export const CODE_POLICY = {
  digits: 6,
  lifetimeMs: 10 * 60_000,
  tries: 5,
  /** How long a checked code may still back a removal. */
  verifiedForMs: 15 * 60_000,
} as const;

/** What the removal's audit record says of the caller's verification. */
export type VerificationNote =
  | { method: 'email_code'; verification: string; sentTo: string }
  | { method: 'ticket'; ticket: string }
  | { method: 'none' };

export interface SentCode {
  id: string;
  /** The masked address the code went to. */
  sentTo: string;
  expiresAt: string;
}

interface VerificationRow {
  [key: string]: unknown;
  id: string;
  server_id: string;
  account: string;
  operator_id: number;
  sent_to: string;
  code_mac: string;
  expires_at: string | number;
  tries: number;
  verified_at: string | number | null;
  used_at: string | number | null;
}

export interface CallerVerificationDeps {
  db: Database;
  audit: AuditLog;
  mail: MailService;
  settings: MailSettingsStore;
  upstreams: ReadonlyMap<string, WhmUpstream>;
  /** Codes are kept as an HMAC under this key (the audit key: outside the database). */
  secret: Buffer;
  clock: () => number;
}

// Mail costs the holder attention: a few codes per account, more per operator.
const CODES_PER_ACCOUNT: ThrottleRule = { limit: 3, windowMs: 10 * 60_000 };
const CODES_PER_OPERATOR: ThrottleRule = { limit: 20, windowMs: 10 * 60_000 };

/**
 * Verifying a caller before a 2FA reset: a one-time code mailed to the account's contact address
 * in WHM, read back by the caller. Bound to the account, the server and the operator; 6 digits,
 * 10 minutes, 5 tries, single use, stored as an HMAC.
 */
export class CallerVerifications {
  // Counted in the database, so the limits hold however many BFF instances share it.
  private readonly counters: ThrottleStore;

  constructor(private readonly deps: CallerVerificationDeps) {
    this.counters = new ThrottleStore(deps.db);
  }

  private mac(id: string, code: string): string {
    return createHmac('sha256', this.deps.secret).update(`caller-code:${id}:${code}`).digest('hex');
  }

  private upstreamFor(actor: Actor, server: string): WhmUpstream {
    const upstream = this.deps.upstreams.get(server);
    if (!upstream) throw new AppError('unknown_server', 'No WHM server with this id.');
    requireServer(actor.operator, upstream.server);
    return upstream;
  }

  async send(actor: Actor, input: z.output<typeof sendCodeBody>): Promise<SentCode> {
    const { mail, settings, audit, clock } = this.deps;
    const upstream = this.upstreamFor(actor, input.server);
    if (actor.operator.role === 'support') {
      await checkOrdinaryTargets(upstream, input.user, directRead);
    }
    if (!mail.enabled) {
      throw new AppError('mail_off', 'Mail is not set up (SMTP_URL), so no code can be sent.');
    }
    await this.consumeLimits(actor, `${upstream.server.id}:${input.user}`);
    const contacts = await readContacts(upstream, [input.user]).catch(toAppError);
    const contact = contacts.get(input.user);
    if (!contact) {
      throw new AppError('not_found', `There is no account ${input.user} on this server.`, {
        field: 'user',
      });
    }
    if (contact.email === null) {
      throw new AppError(
        'no_contact_email',
        `${input.user} has no contact email in WHM, so the caller cannot be verified by code. Verify them another way.`,
      );
    }
    const host = await hostNameOf(upstream, (await settings.get()).hostName);
    const id = randomBytes(16).toString('hex');
    const code = String(randomInt(0, 10 ** CODE_POLICY.digits)).padStart(CODE_POLICY.digits, '0');
    const now = clock();
    const expiresAt = now + CODE_POLICY.lifetimeMs;
    const sentTo = maskAddress(contact.email);
    const message = verificationCode({
      account: input.user,
      host,
      code,
      minutes: CODE_POLICY.lifetimeMs / 60_000,
    });
    await audit.appendWith(
      {
        ...auditBase(actor, upstream.server.id, null),
        kind: 'operator',
        target: [input.user],
        outcome: 'success',
        detail: { action: 'verification_sent', verification: id, sentTo },
      },
      async (tx) => {
        await tx.query(
          `INSERT INTO caller_verifications (id, server_id, account, operator_id, sent_to, code_mac,
             created_at, expires_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
          [
            id,
            upstream.server.id,
            input.user,
            actor.operator.id,
            sentTo,
            this.mac(id, code),
            now,
            expiresAt,
          ],
        );
        await mail.enqueueIn(tx, {
          key: `verification:${id}`,
          kind: 'verification_code',
          to: contact.email ?? '',
          ...message,
          serverId: upstream.server.id,
          account: input.user,
        });
      },
    );
    mail.kick();
    return { id, sentTo, expiresAt: new Date(expiresAt).toISOString() };
  }

  private async consumeLimits(actor: Actor, account: string): Promise<void> {
    const wait = await this.counters.attemptAll(
      [
        [`verify:operator:${actor.operator.id}`, CODES_PER_OPERATOR],
        [`verify:account:${account}`, CODES_PER_ACCOUNT],
      ],
      this.deps.clock(),
    );
    if (wait !== null) throw errors.rateLimited(wait);
  }

  /** Checks the code the caller read back; each wrong one uses a try. */
  async check(actor: Actor, id: string, code: string): Promise<{ verified: true; sentTo: string }> {
    const { db, clock } = this.deps;
    const now = clock();
    const [row] = await db.query<VerificationRow>(
      'SELECT * FROM caller_verifications WHERE id = $1 AND operator_id = $2',
      [id, actor.operator.id],
    );
    // Another operator's verification does not exist for this one.
    if (!row) throw new AppError('not_found', 'No such verification: send a new code.');
    if (row.used_at !== null) {
      throw new AppError('verification_invalid', 'This code was already used: send a new one.');
    }
    if (row.verified_at !== null) return { verified: true, sentTo: row.sent_to };
    if (Number(row.expires_at) <= now) {
      throw new AppError('code_expired', 'The code has expired: send a new one.', {
        field: 'code',
      });
    }
    const [tried] = await db.query<{ tries: number }>(
      `UPDATE caller_verifications SET tries = tries + 1
       WHERE id = $1 AND tries < $2 AND verified_at IS NULL RETURNING tries`,
      [id, CODE_POLICY.tries],
    );
    if (!tried) {
      throw new AppError('too_many_tries', 'Too many wrong codes: send a new one.', {
        field: 'code',
      });
    }
    const expected = Buffer.from(row.code_mac, 'hex');
    const given = Buffer.from(this.mac(id, code), 'hex');
    if (!timingSafeEqual(expected, given)) {
      const left = CODE_POLICY.tries - Number(tried.tries);
      await this.auditCheck(actor, row, left === 0 ? 'failure' : null, left);
      if (left === 0) {
        throw new AppError('too_many_tries', 'That was the last try: send a new code.', {
          field: 'code',
        });
      }
      throw new AppError(
        'wrong_code',
        `That is not the code that was sent. ${left} ${left === 1 ? 'try' : 'tries'} left.`,
        { field: 'code' },
      );
    }
    await db.query('UPDATE caller_verifications SET verified_at = $2 WHERE id = $1', [id, now]);
    await this.auditCheck(actor, row, 'success', CODE_POLICY.tries - Number(tried.tries));
    return { verified: true, sentTo: row.sent_to };
  }

  /** Wrong tries are audited only when they use up the last one (the denial log's rule of few). */
  private async auditCheck(
    actor: Actor,
    row: VerificationRow,
    outcome: 'success' | 'failure' | null,
    triesLeft: number,
  ): Promise<void> {
    if (outcome === null) return;
    await this.deps.audit.append({
      ...auditBase(actor, row.server_id, null),
      kind: 'operator',
      target: [row.account],
      outcome,
      detail: {
        action: outcome === 'success' ? 'verification_checked' : 'verification_locked',
        verification: row.id,
        triesLeft,
      },
    });
  }

  /**
   * Before a removal: the caller's verification, used up here, or refused when the settings
   * require one for this operator. A code backs the removal of its one account only.
   */
  async beforeRemoval(
    actor: Actor,
    server: string,
    targets: readonly string[],
    given: { method: VerificationMethod; ref: string } | null,
  ): Promise<VerificationNote> {
    const settings = await this.deps.settings.get();
    if (given === null) {
      if (settings.callerVerification === 'required' && actor.operator.role === 'support') {
        throw new AppError(
          'verification_required',
          settings.ticketVerification
            ? 'Verify the caller first: by a code sent to the account email, or by the ticket system with its reference.'
            : 'Verify the caller first: send a code to the account email and type the one they read back.',
        );
      }
      return { method: 'none' };
    }
    if (given.method === 'ticket') {
      if (!settings.ticketVerification) {
        throw new AppError(
          'verification_invalid',
          'Verification in the ticket system is not allowed here: an admin can allow it in the mail settings.',
          { field: 'verification' },
        );
      }
      return { method: 'ticket', ticket: given.ref };
    }
    const now = this.deps.clock();
    const [user] = targets;
    const [used] =
      targets.length === 1 && verificationId.safeParse(given.ref).success
        ? await this.deps.db.query<{ id: string; sent_to: string }>(
            `UPDATE caller_verifications SET used_at = $6
             WHERE id = $1 AND operator_id = $2 AND server_id = $3 AND account = $4
               AND verified_at IS NOT NULL AND verified_at > $5 AND used_at IS NULL
             RETURNING id, sent_to`,
            [given.ref, actor.operator.id, server, user, now - CODE_POLICY.verifiedForMs, now],
          )
        : [];
    if (!used) {
      throw new AppError(
        'verification_invalid',
        'That verification does not cover this removal: it is for another account, server or operator, was not checked, was used, or is too old. Verify the caller again.',
        { field: 'verification_ref' },
      );
    }
    return { method: 'email_code', verification: used.id, sentTo: used.sent_to };
  }
}
