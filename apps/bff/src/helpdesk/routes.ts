import type { Router } from 'express';
import type { AuditLog } from '../audit/audit-log.js';
import { recordDenial } from '../audit/request-records.js';
import { errors } from '../errors.js';
import { actorOf } from '../http/context.js';
import { handle } from '../http/middleware.js';
import { strictRouter } from '../http/router.js';
import { parseWith } from '../http/schemas.js';
import type { CallerVerifications } from './caller-verification.js';
import { checkCodeBody, sendCodeBody, verificationId } from './verification-schemas.js';

/** `/api/verifications`: support (and admins) verify a caller by a code mailed to the account. */
export function helpdeskRoutes(deps: {
  verifications: CallerVerifications;
  audit: AuditLog;
}): Router {
  const { verifications, audit } = deps;
  const router = strictRouter();
  const staff = handle(async (_req, res, next) => {
    const actor = actorOf(res);
    if (actor.operator.role === 'viewer') {
      const error = errors.forbidden();
      await recordDenial(audit, actor, null, null, error);
      throw error;
    }
    next();
  });
  router.post(
    '/verifications',
    staff,
    handle(async (req, res) => {
      const sent = await verifications.send(actorOf(res), parseWith(sendCodeBody, req.body));
      res.status(201).json(sent);
    }),
  );
  router.post(
    '/verifications/:id/check',
    staff,
    handle(async (req, res) => {
      const id = parseWith(verificationId, req.params.id);
      const { code } = parseWith(checkCodeBody, req.body);
      res.json(await verifications.check(actorOf(res), id, code));
    }),
  );
  return router;
}
