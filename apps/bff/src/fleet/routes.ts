import type { Router } from 'express';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { rawQueryOf } from '../http/context.js';
import { handle, requireRole } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith, queryObject, safeText } from '../http/schemas.js';
import { actorOf } from '../http/context.js';
import { fleetChangeBody, type FleetChanges } from './fleet-changes.js';
import type { FleetRefresher } from './fleet-refresher.js';
import { HISTORY_DAYS, type FleetService } from './fleet-service.js';

const historyQuery = z.strictObject({
  days: z
    .enum(HISTORY_DAYS.map(String) as ['7', '30', '90'], { message: 'must be 7, 30 or 90' })
    .default('30')
    .transform((value) => Number(value) as (typeof HISTORY_DAYS)[number]),
});
const searchQuery = z.strictObject({
  q: safeText(100).pipe(z.string().trim().min(2, 'at least 2 characters')),
});

/** `/api/fleet`: every server's last reading, the trend, the search across servers, a refresh. */
export function fleetRoutes(deps: {
  fleet: FleetService;
  refresher: FleetRefresher;
  changes: FleetChanges;
  audit: AuditLog;
}): Router {
  const { fleet, refresher } = deps;
  const router = strictRouter();
  router.get(
    '/fleet',
    handle(async (_req, res) => {
      res.json(await fleet.overview(actorOf(res).operator));
    }),
  );
  router.get(
    '/fleet/history',
    handle(async (req, res) => {
      const { days } = parseWith(historyQuery, queryObject(rawQueryOf(req.url)));
      res.json(await fleet.history(actorOf(res).operator, days));
    }),
  );
  router.get(
    '/fleet/search',
    handle(async (req, res) => {
      const { q } = parseWith(searchQuery, queryObject(rawQueryOf(req.url)));
      res.json(await fleet.search(actorOf(res).operator, q));
    }),
  );
  router.post('/fleet/refresh', requireRole('admin', deps.audit), (_req, res) => {
    // Answered at once: the round runs on, and GET /api/fleet says while it does.
    void refresher.refresh();
    res.status(202).json({ refreshing: true });
  });
  router.post(
    '/fleet/changes',
    requireRole('admin', deps.audit),
    handle(async (req, res) => {
      const actor = actorOf(res);
      const change = parseWith(fleetChangeBody, req.body);
      deps.changes.servers(actor, change);
      if (change.preview) {
        res.json(await deps.changes.preview(actor, change));
        return;
      }
      deps.changes.check(actor, change);
      // One JSON line per server as its result comes, then the totals (docs/api.md).
      res.status(200).setHeader('content-type', 'application/x-ndjson; charset=utf-8');
      res.flushHeaders();
      const line = (value: unknown) => res.write(`${JSON.stringify(value)}\n`);
      const done = await deps.changes.run(actor, change, (result) =>
        line({ type: 'result', ...result }),
      );
      line({ type: 'done', ...done });
      res.end();
    }),
  );
  return router;
}
