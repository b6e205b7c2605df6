import { createHash } from 'node:crypto';
import type { Database, Queryable } from '../db/database.js';

export const mailKinds = ['removal_notice', 'verification_code', 'enrollment_reminder'] as const;
export type MailKind = (typeof mailKinds)[number];
export const mailStatuses = ['queued', 'sending', 'sent', 'failed', 'unconfirmed'] as const;
export type MailStatus = (typeof mailStatuses)[number];

export interface OutgoingMail {
  /** One message per key, ever: a second enqueue with the same key is a no-op. */
  key: string;
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  serverId?: string | null;
  account?: string | null;
}

export interface OutboxMessage {
  id: number;
  key: string;
  kind: MailKind;
  to: string;
  subject: string;
  text: string;
  html: string;
  serverId: string | null;
  account: string | null;
  status: MailStatus;
  attempts: number;
  nextAttemptAt: number;
  lastError: string | null;
  messageId: string;
  createdAt: number;
  sentAt: number | null;
}

/**
 * A verification code is kept in clear only until it is handed over (or given up on): then the
 * message's text goes, and only the HMAC in caller_verifications is left.
 */
export const CODE_WITHHELD = '(a verification code: not kept once sent)';
const SCRUB_CODES = `text_body = CASE WHEN kind = 'verification_code' THEN '${CODE_WITHHELD}' ELSE text_body END,
  html_body = CASE WHEN kind = 'verification_code' THEN '' ELSE html_body END`;

interface OutboxRow {
  [key: string]: unknown;
  id: string | number;
  idempotency_key: string;
  kind: MailKind;
  to_address: string;
  subject: string;
  text_body: string;
  html_body: string;
  server_id: string | null;
  account: string | null;
  status: MailStatus;
  attempts: number;
  next_attempt_at: string | number;
  last_error: string | null;
  message_id: string;
  created_at: string | number;
  sent_at: string | number | null;
}

const toMessage = (row: OutboxRow): OutboxMessage => ({
  id: Number(row.id),
  key: row.idempotency_key,
  kind: row.kind,
  to: row.to_address,
  subject: row.subject,
  text: row.text_body,
  html: row.html_body,
  serverId: row.server_id,
  account: row.account,
  status: row.status,
  attempts: Number(row.attempts),
  nextAttemptAt: Number(row.next_attempt_at),
  lastError: row.last_error,
  messageId: row.message_id,
  createdAt: Number(row.created_at),
  sentAt: row.sent_at === null ? null : Number(row.sent_at),
});

/**
 * The Message-ID comes from the idempotency key: the same message keeps one id however often it
 * is tried, so a receiving system that saw it once can tell a repeat.
 */
export function messageIdOf(key: string, domain: string): string {
  return `<${createHash('sha256').update(key).digest('hex').slice(0, 32)}@${domain}>`;
}

export interface OutboxCounts {
  queued: number;
  sending: number;
  sent: number;
  failed: number;
  unconfirmed: number;
}

/** The mail outbox table (migration 010). */
export class OutboxStore {
  constructor(
    private readonly db: Database,
    private readonly messageDomain: string,
  ) {}

  /** Queues a message in the caller's transaction (with the audit record that causes it). */
  async enqueueIn(tx: Queryable, mail: OutgoingMail, now: number): Promise<void> {
    await tx.query(
      `INSERT INTO mail_outbox (idempotency_key, kind, to_address, subject, text_body, html_body,
         server_id, account, status, next_attempt_at, message_id, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'queued', $9, $10, $9)
       ON CONFLICT (idempotency_key) DO NOTHING`,
      [
        mail.key,
        mail.kind,
        mail.to,
        mail.subject,
        mail.text,
        mail.html,
        mail.serverId ?? null,
        mail.account ?? null,
        now,
        messageIdOf(mail.key, this.messageDomain),
      ],
    );
  }

  /**
   * Claims up to `limit` due messages for `worker` until `leaseUntil`. With several instances on
   * PostgreSQL, SKIP LOCKED gives each message to one of them. A message still `sending` when its
   * lease ran out may have been handed to the mail server just before its sender died: it is
   * marked `unconfirmed` and never sent again on its own (an admin may, knowingly). Reminders go
   * last: a campaign of thousands at the send rate must not keep a caller waiting for a code
   * that lives 10 minutes.
   */
  async claim(
    worker: string,
    now: number,
    leaseUntil: number,
    limit: number,
  ): Promise<OutboxMessage[]> {
    return this.db.transaction(async (tx) => {
      await tx.query(
        `UPDATE mail_outbox SET status = 'unconfirmed', claimed_by = NULL, claimed_until = NULL,
           ${SCRUB_CODES}, last_error = 'The console stopped while handing this message to the mail server; it may have been sent.'
         WHERE status = 'sending' AND claimed_until < $1`,
        [now],
      );
      const rows = await tx.query<OutboxRow>(
        `UPDATE mail_outbox SET status = 'sending', claimed_by = $1, claimed_until = $2,
           attempts = attempts + 1
         WHERE id IN (
           SELECT id FROM mail_outbox WHERE status = 'queued' AND next_attempt_at <= $3
           ORDER BY kind = 'enrollment_reminder', next_attempt_at, id
           LIMIT $4 FOR UPDATE SKIP LOCKED)
         RETURNING *`,
        [worker, leaseUntil, now, limit],
      );
      return rows.map(toMessage).sort((a, b) => a.id - b.id);
    });
  }

  /** Gives back a claimed message that was not tried (the send rate was used up). */
  async release(id: number, worker: string): Promise<void> {
    await this.db.query(
      `UPDATE mail_outbox SET status = 'queued', claimed_by = NULL, claimed_until = NULL,
         attempts = attempts - 1
       WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, worker],
    );
  }

  async markSent(id: number, worker: string, at: number): Promise<void> {
    await this.db.query(
      `UPDATE mail_outbox SET status = 'sent', sent_at = $3, claimed_by = NULL, claimed_until = NULL,
         last_error = NULL, ${SCRUB_CODES}
       WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, worker, at],
    );
  }

  /** A failed try: queued again at `retryAt`, or failed for good when that is null. */
  async markFailed(
    id: number,
    worker: string,
    error: string,
    retryAt: number | null,
  ): Promise<void> {
    await this.db.query(
      `UPDATE mail_outbox SET status = $3, next_attempt_at = COALESCE($4, next_attempt_at),
         last_error = $5, claimed_by = NULL, claimed_until = NULL
         ${retryAt === null ? `, ${SCRUB_CODES}` : ''}
       WHERE id = $1 AND status = 'sending' AND claimed_by = $2`,
      [id, worker, retryAt === null ? 'failed' : 'queued', retryAt, error],
    );
  }

  /**
   * An admin's retry of a failed or unconfirmed message: queued now, its tries counted afresh.
   * Not a verification code's: its text is gone, and a new code is the answer.
   */
  async retry(id: number, now: number): Promise<OutboxMessage | undefined> {
    const [row] = await this.db.query<OutboxRow>(
      `UPDATE mail_outbox SET status = 'queued', next_attempt_at = $2, attempts = 0
       WHERE id = $1 AND status IN ('failed', 'unconfirmed') AND kind <> 'verification_code'
       RETURNING *`,
      [id, now],
    );
    return row ? toMessage(row) : undefined;
  }

  async byId(id: number): Promise<OutboxMessage | undefined> {
    const [row] = await this.db.query<OutboxRow>('SELECT * FROM mail_outbox WHERE id = $1', [id]);
    return row ? toMessage(row) : undefined;
  }

  async byKey(key: string): Promise<OutboxMessage | undefined> {
    const [row] = await this.db.query<OutboxRow>(
      'SELECT * FROM mail_outbox WHERE idempotency_key = $1',
      [key],
    );
    return row ? toMessage(row) : undefined;
  }

  /** Newest first, before an id (paging), optionally of one status. */
  async list(options: {
    status?: MailStatus | undefined;
    before?: number | undefined;
    limit: number;
  }): Promise<OutboxMessage[]> {
    const rows = await this.db.query<OutboxRow>(
      `SELECT * FROM mail_outbox
       WHERE ($1::text IS NULL OR status = $1) AND ($2::bigint IS NULL OR id < $2)
       ORDER BY id DESC LIMIT $3`,
      [options.status ?? null, options.before ?? null, options.limit],
    );
    return rows.map(toMessage);
  }

  async counts(): Promise<OutboxCounts> {
    const rows = await this.db.query<{ status: MailStatus; n: string | number }>(
      'SELECT status, count(*) AS n FROM mail_outbox GROUP BY status',
    );
    const counts: OutboxCounts = { queued: 0, sending: 0, sent: 0, failed: 0, unconfirmed: 0 };
    for (const row of rows) counts[row.status] = Number(row.n);
    return counts;
  }
}
