import type { WhmAnswer } from '@console/whm-api';
import type { AuditLog, AuditOutcome } from '../audit/audit-log.js';
import type { Helpdesk } from '../helpdesk/helpdesk.js';
import { auditBase } from '../audit/request-records.js';
import type { Actor } from '../sessions/session-service.js';
import { answerOf, interpretAnswer, toAppError, type WhmResponse } from './answers.js';
import { directRead } from './prepared-calls.js';
import type { ProxyTransport } from './upstream.js';
import { REMOVE_FUNCTION, type Validated } from './validation.js';
import { describeError, enabledOf, isUncertain, stateAfter } from './writes.js';

export interface RemovalResult {
  user: string;
  outcome: 'removed' | 'not_enrolled' | 'failed';
  reason?: string;
}

/**
 * Removes 2FA: checks (and uses up) the caller's verification, reads every target's prior state
 * and contact address, records the intent with them, removes, then records the outcome with the
 * account holders' notices queued in the same transaction, and tells the caller, per user,
 * whether 2FA was really on.
 */
export async function removeTwoFactor(
  audit: AuditLog,
  actor: Actor,
  validated: Validated,
  transport: ProxyTransport,
  helpdesk: Helpdesk | undefined,
): Promise<WhmResponse> {
  const fn = REMOVE_FUNCTION;
  const { upstream, targets, reason } = validated;
  const base = { ...auditBase(actor, upstream.server.id, fn), target: targets, reason };
  const verification = helpdesk
    ? await helpdesk.verify(actor, upstream.server.id, targets, validated.verification)
    : { method: 'none' as const };
  const priorAnswer = await directRead(upstream, 'twofactorauth_get_user_configs', {}).catch(
    toAppError,
  );
  const prior = enabledOf(priorAnswer.data, targets);
  const notices = helpdesk ? await helpdesk.planNotices(upstream, targets) : undefined;
  await audit.append({ ...base, kind: 'intent', outcome: null, detail: { prior, verification } });
  let answer: WhmAnswer<typeof REMOVE_FUNCTION>;
  try {
    answer = interpretAnswer(fn, await transport(validated.upstream, validated.call));
  } catch (error) {
    const outcome: AuditOutcome = isUncertain(error) ? 'unknown' : 'failure';
    const detail: Record<string, unknown> = { prior, error: describeError(error) };
    if (outcome === 'unknown') detail.after = await stateAfter(validated);
    await audit.append({ ...base, kind: 'outcome', outcome, detail });
    return toAppError(error);
  }
  const { users_modified: modified, failed } = answer.data;
  const results: RemovalResult[] = targets.map((user) => {
    if (Object.hasOwn(failed, user)) return { user, outcome: 'failed', reason: failed[user] };
    if (modified.includes(user)) {
      return { user, outcome: prior[user] === true ? 'removed' : 'not_enrolled' };
    }
    return { user, outcome: 'failed', reason: 'WHM did not report this account.' };
  });
  const failures = results.filter((result) => result.outcome === 'failed').length;
  const outcome: AuditOutcome =
    failures === 0 ? 'success' : failures === results.length ? 'failure' : 'partial';
  // Told: the holders whose 2FA was really on and is now off (not those who had none).
  const removed = results.filter((r) => r.outcome === 'removed').map((r) => r.user);
  const told = helpdesk && notices ? helpdesk.summarise(notices, removed) : undefined;
  await audit.appendWith(
    {
      ...base,
      kind: 'outcome',
      outcome,
      detail: { prior, results, verification, ...(told ? { notices: told } : {}) },
    },
    async (tx, record) => {
      if (helpdesk && notices) {
        await helpdesk.queueNotices(tx, notices, upstream.server.id, removed, record.id);
      }
    },
  );
  helpdesk?.delivered();
  // The notices too, so the operator can say to the caller that the holder will hear of it.
  return { ...answerOf(fn, answer), results, ...(told ? { notices: told } : {}) };
}
