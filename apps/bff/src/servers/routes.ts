import type { Router } from 'express';
import type { AuditLog } from '../audit/audit-log.js';
import { actorOf } from '../http/context.js';
import { handle, requireRole } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith } from '../http/schemas.js';
import { SERVER_ID_PATTERN } from '../whm/servers.js';
import {
  addServerBody,
  testServerBody,
  updateServerBody,
  type ServerService,
} from './server-service.js';
import { z } from 'zod';

const serverId = z.string().regex(SERVER_ID_PATTERN, 'must be a server id');

/** `/api/managed-servers` (admin): the WHM servers, added and changed in the console. */
export function managedServerRoutes(deps: { servers: ServerService; audit: AuditLog }): Router {
  const { servers } = deps;
  const router = strictRouter();
  const admin = requireRole('admin', deps.audit);
  router.get(
    '/managed-servers',
    admin,
    handle(async (_req, res) => {
      res.json(await servers.list(actorOf(res)));
    }),
  );
  router.post(
    '/managed-servers',
    admin,
    handle(async (req, res) => {
      res
        .status(201)
        .json({ server: await servers.add(actorOf(res), parseWith(addServerBody, req.body)) });
    }),
  );
  router.post(
    '/managed-servers/test',
    admin,
    handle(async (req, res) => {
      res.json(await servers.test(actorOf(res), parseWith(testServerBody, req.body)));
    }),
  );
  router.patch(
    '/managed-servers/:id',
    admin,
    handle(async (req, res) => {
      const id = parseWith(serverId, req.params.id);
      res.json({
        server: await servers.update(actorOf(res), id, parseWith(updateServerBody, req.body)),
      });
    }),
  );
  router.delete(
    '/managed-servers/:id',
    admin,
    handle(async (req, res) => {
      await servers.remove(actorOf(res), parseWith(serverId, req.params.id));
      res.status(204).end();
    }),
  );
  return router;
}
