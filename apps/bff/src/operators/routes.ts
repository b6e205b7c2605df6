import type { Router } from 'express';
import { actorOf } from '../http/context.js';
import { handle, requireRole } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith } from '../http/schemas.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { OperatorService } from './operator-service.js';
import {
  changePasswordBody,
  codeBody,
  createOperatorBody,
  operatorId,
  ownSessionId,
  patchOperatorBody,
  resetPasswordBody,
  settingsBody,
} from './schemas.js';

/** The operators and their settings (admin), and each operator's own account (`/me`). */
export function operatorRoutes(deps: { operators: OperatorService; audit: AuditLog }): Router {
  const { operators } = deps;
  const router = strictRouter();
  const admin = requireRole('admin', deps.audit);

  router.get(
    '/operators',
    admin,
    handle(async (_req, res) => {
      res.json({ operators: await operators.list() });
    }),
  );
  router.post(
    '/operators',
    admin,
    handle(async (req, res) => {
      const body = parseWith(createOperatorBody, req.body);
      res.status(201).json({ operator: await operators.create(actorOf(res), body) });
    }),
  );
  router.patch(
    '/operators/:id',
    admin,
    handle(async (req, res) => {
      const id = parseWith(operatorId, req.params.id);
      const body = parseWith(patchOperatorBody, req.body);
      res.json({ operator: await operators.update(actorOf(res), id, body) });
    }),
  );
  router.delete(
    '/operators/:id',
    admin,
    handle(async (req, res) => {
      await operators.delete(actorOf(res), parseWith(operatorId, req.params.id));
      res.status(204).end();
    }),
  );
  router.post(
    '/operators/:id/password',
    admin,
    handle(async (req, res) => {
      const id = parseWith(operatorId, req.params.id);
      const { password } = parseWith(resetPasswordBody, req.body);
      await operators.resetPassword(actorOf(res), id, password);
      res.status(204).end();
    }),
  );
  router.delete(
    '/operators/:id/sessions',
    admin,
    handle(async (req, res) => {
      await operators.endSessions(actorOf(res), parseWith(operatorId, req.params.id));
      res.status(204).end();
    }),
  );
  router.delete(
    '/operators/:id/totp',
    admin,
    handle(async (req, res) => {
      await operators.removeTotp(actorOf(res), parseWith(operatorId, req.params.id));
      res.status(204).end();
    }),
  );
  router.get(
    '/settings',
    admin,
    handle(async (_req, res) => {
      res.json(await operators.getSettings());
    }),
  );
  router.put(
    '/settings',
    admin,
    handle(async (req, res) => {
      res.json(await operators.setSettings(actorOf(res), parseWith(settingsBody, req.body)));
    }),
  );

  router.post(
    '/me/password',
    handle(async (req, res) => {
      await operators.changeOwnPassword(actorOf(res), parseWith(changePasswordBody, req.body));
      res.status(204).end();
    }),
  );
  router.get(
    '/me/sessions',
    handle(async (_req, res) => {
      res.json({ sessions: await operators.listOwnSessions(actorOf(res)) });
    }),
  );
  router.delete(
    '/me/sessions',
    handle(async (_req, res) => {
      res.json({ ended: await operators.endOtherOwnSessions(actorOf(res)) });
    }),
  );
  router.delete(
    '/me/sessions/:id',
    handle(async (req, res) => {
      await operators.endOwnSession(actorOf(res), parseWith(ownSessionId, req.params.id));
      res.status(204).end();
    }),
  );
  router.post(
    '/me/totp/setup',
    handle(async (_req, res) => {
      res.json(await operators.setupOwnTotp(actorOf(res)));
    }),
  );
  router.post(
    '/me/totp/confirm',
    handle(async (req, res) => {
      const { code } = parseWith(codeBody, req.body);
      res.json({ operator: await operators.confirmOwnTotp(actorOf(res), code) });
    }),
  );
  router.delete(
    '/me/totp',
    handle(async (req, res) => {
      const { code } = parseWith(codeBody, req.body);
      await operators.removeOwnTotp(actorOf(res), code);
      res.status(204).end();
    }),
  );
  return router;
}
