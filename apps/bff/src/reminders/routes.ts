import type { Router } from 'express';
import type { AuditLog } from '../audit/audit-log.js';
import { actorOf } from '../http/context.js';
import { handle, requireRole } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith } from '../http/schemas.js';
import type { ReminderService } from './reminder-service.js';
import { reminderFilterBody } from './reminder-schemas.js';

/**
 * `/api/reminders` (admin): who would be reminded to enroll, sending the reminders, and the
 * campaigns with how many have enrolled since. No step-up: a reminder weakens nothing; it is
 * audited all the same.
 */
export function reminderRoutes(deps: { reminders: ReminderService; audit: AuditLog }): Router {
  const { reminders } = deps;
  const router = strictRouter();
  const admin = requireRole('admin', deps.audit);
  router.post(
    '/reminders/preview',
    admin,
    handle(async (req, res) => {
      const filter = parseWith(reminderFilterBody, req.body);
      res.json(await reminders.preview(actorOf(res), filter));
    }),
  );
  router.post(
    '/reminders',
    admin,
    handle(async (req, res) => {
      const filter = parseWith(reminderFilterBody, req.body);
      res.status(201).json(await reminders.send(actorOf(res), filter));
    }),
  );
  router.get(
    '/reminders',
    admin,
    handle(async (_req, res) => {
      res.json(await reminders.list(actorOf(res).operator));
    }),
  );
  return router;
}
