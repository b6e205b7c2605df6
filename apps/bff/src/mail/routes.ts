import type { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { auditBase } from '../audit/request-records.js';
import { AppError, errors } from '../errors.js';
import { actorOf, rawQueryOf } from '../http/context.js';
import { handle, requireRole } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith, queryObject } from '../http/schemas.js';
import type { SessionService } from '../sessions/session-service.js';
import type { MailService } from './mail-service.js';
import {
  mailSettingsBody,
  relaxesVerification,
  type MailSettings,
  type MailSettingsStore,
} from './mail-settings.js';
import { CODE_WITHHELD, mailStatuses, type OutboxMessage } from './outbox-store.js';

const outboxQuery = z.strictObject({
  status: z.enum(mailStatuses).optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
});
const messageId = z.coerce.number().int().positive().max(Number.MAX_SAFE_INTEGER);

/** An outbox row as the admin screen shows it: a verification code's text never leaves. */
function outboxView(message: OutboxMessage) {
  const withheld = message.kind === 'verification_code';
  return {
    id: message.id,
    kind: message.kind,
    to: message.to,
    subject: withheld ? 'Verification code' : message.subject,
    text: withheld ? CODE_WITHHELD : message.text,
    serverId: message.serverId,
    account: message.account,
    status: message.status,
    attempts: message.attempts,
    nextAttemptAt: new Date(message.nextAttemptAt).toISOString(),
    lastError: message.lastError,
    createdAt: new Date(message.createdAt).toISOString(),
    sentAt: message.sentAt === null ? null : new Date(message.sentAt).toISOString(),
  };
}

/**
 * `/api/mail`: whether mail is on (every operator: the removal dialog asks), the outbox and the
 * settings (admin), and in demo mode the catcher's mailbox, which plays the holders' inboxes.
 */
export function mailRoutes(deps: {
  mail: MailService;
  settings: MailSettingsStore;
  sessions: SessionService;
  audit: AuditLog;
}): Router {
  const { mail, settings, audit } = deps;
  const router = strictRouter();
  const admin = requireRole('admin', audit);

  router.get(
    '/mail',
    handle(async (_req, res) => {
      const current = await settings.get();
      res.json({
        mode: mail.mode,
        callerVerification: current.callerVerification,
        ticketVerification: current.ticketVerification,
      });
    }),
  );
  router.get(
    '/mail/outbox',
    admin,
    handle(async (req, res) => {
      const query = parseWith(outboxQuery, queryObject(rawQueryOf(req.url)));
      const [status, messages] = await Promise.all([mail.status(), mail.list(query)]);
      res.json({ ...status, messages: messages.map(outboxView) });
    }),
  );
  router.post(
    '/mail/outbox/:id/retry',
    admin,
    handle(async (req, res) => {
      const id = parseWith(messageId, req.params.id);
      const message = await mail.retry(id);
      if (!message) {
        throw new AppError(
          'conflict',
          'Only a failed or unconfirmed message can be sent again (a verification code cannot: send a new one).',
        );
      }
      await audit.append({
        ...auditBase(actorOf(res), message.serverId, null),
        kind: 'operator',
        target: message.account ? [message.account] : [],
        outcome: 'success',
        detail: { action: 'mail_retry', mail: message.id, kind: message.kind },
      });
      res.json({ message: outboxView(message) });
    }),
  );
  router.get(
    '/mail/settings',
    admin,
    handle(async (_req, res) => {
      res.json(await settings.get());
    }),
  );
  router.patch(
    '/mail/settings',
    admin,
    handle(async (req, res) => {
      const actor = actorOf(res);
      const changes = parseWith(mailSettingsBody, req.body);
      const before = await settings.get();
      const after: MailSettings = { ...before, ...stripUndefined(changes) };
      // Easier resets are a security change: the admin proves it is them first.
      if (relaxesVerification(before, after) && !deps.sessions.hasStepUp(actor)) {
        throw errors.stepUp();
      }
      const saved = await settings.set(after);
      await audit.append({
        ...auditBase(actor, null, null),
        kind: 'operator',
        target: [],
        outcome: 'success',
        detail: { action: 'mail_settings', changed: Object.keys(changes).sort() },
      });
      res.json(saved);
    }),
  );
  router.get('/mail/demo-mailbox', (_req, res) => {
    const mailbox = mail.demoMailbox;
    if (!mailbox) throw errors.notFound();
    // Newest first: the message that just came is what a demo shows.
    res.json({
      messages: [...mailbox].reverse().map((m) => ({
        seq: m.seq,
        at: new Date(m.at).toISOString(),
        to: m.to,
        subject: m.subject,
        text: m.text,
        html: m.html,
      })),
    });
  });
  return router;
}

function stripUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}
