import type { WhmAnswer } from '@console/whm-api';
import type { AuditLog, AuditOutcome } from '../audit/audit-log.js';
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
 * Removes 2FA: reads every target's prior state, records the intent with it, removes, then
 * records the outcome and tells the caller, per user, whether 2FA was really on.
 */
export async function removeTwoFactor(
  audit: AuditLog,
  actor: Actor,
  validated: Validated,
  transport: ProxyTransport,
): Promise<WhmResponse> {
  const fn = REMOVE_FUNCTION;
  const { upstream, targets, reason } = validated;
  const base = { ...auditBase(actor, upstream.server.id, fn), target: targets, reason };
  const priorAnswer = await directRead(upstream, 'twofactorauth_get_user_configs', {}).catch(
    toAppError,
  );
  const prior = enabledOf(priorAnswer.data, targets);
  await audit.append({ ...base, kind: 'intent', outcome: null, detail: { prior } });
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
  await audit.append({
    ...base,
    kind: 'outcome',
    outcome,
    detail: { prior, results },
  });
  return { ...answerOf(fn, answer), results };
}
