import type { AppError } from '../errors.js';
import type { Actor } from '../sessions/session-service.js';
import type { AuditEntry, AuditLog } from './audit-log.js';

/** What every record of a signed-in operator's request carries. */
export function auditBase(
  actor: Actor,
  server: string | null,
  fn: string | null,
): Omit<AuditEntry, 'kind' | 'outcome' | 'detail' | 'target'> & { target: string[] } {
  return {
    operator: actor.operator.username,
    role: actor.operator.role,
    sourceIp: actor.sourceIp,
    server: server?.slice(0, 64) ?? null,
    function: fn,
    target: [],
    reason: null,
    requestId: actor.requestId,
  };
}

/** Records a refused request (kind `denied`) for a signed-in operator. */
export async function recordDenial(
  audit: AuditLog,
  actor: Actor,
  server: string | null,
  fn: string | null,
  error: AppError,
  target: string[] = [],
): Promise<void> {
  await audit.appendDenied({
    ...auditBase(actor, server, fn?.slice(0, 100) ?? null),
    kind: 'denied',
    target,
    outcome: null,
    detail: { code: error.code },
  });
}
