import type { Router } from 'express';
import { actorOf, locals, rawQueryOf } from '../http/context.js';
import { handle, requireRole } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith, queryObject } from '../http/schemas.js';
import { auditCsv } from './audit-csv.js';
import type { AuditLog } from './audit-log.js';
import { auditCsvQuery, auditQuery } from './schemas.js';

/** The audit log: the list, its CSV export, the chain's check. */
export function auditRoutes(deps: { audit: AuditLog }): Router {
  const { audit } = deps;
  const router = strictRouter();
  const admin = requireRole('admin', audit);

  router.get(
    '/audit',
    (req, res, next) => {
      // Support reads the records of its own actions; viewers none.
      if (locals(res).actor?.operator.role === 'support') next();
      else admin(req, res, next);
    },
    handle(async (req, res) => {
      const filters = parseWith(auditQuery, queryObject(rawQueryOf(req.url)));
      const actor = actorOf(res);
      if (actor.operator.role !== 'admin') filters.operator = actor.operator.username;
      res.json(await audit.list(filters));
    }),
  );
  router.get(
    '/audit.csv',
    admin,
    handle(async (req, res) => {
      const filters = parseWith(auditCsvQuery, queryObject(rawQueryOf(req.url)));
      const { records } = await audit.list(filters);
      res.setHeader('content-type', 'text/csv; charset=utf-8');
      res.setHeader('content-disposition', 'attachment; filename="audit.csv"');
      res.send(auditCsv(records));
    }),
  );
  router.get(
    '/audit/verify',
    admin,
    handle(async (_req, res) => {
      res.json(await audit.verify());
    }),
  );
  return router;
}
