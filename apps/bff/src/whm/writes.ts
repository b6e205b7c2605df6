import { WhmError, type WhmFunctionName } from '@console/whm-api';
import type { AuditLog, AuditOutcome } from '../audit/audit-log.js';
import { auditBase } from '../audit/request-records.js';
import type { Actor } from '../sessions/session-service.js';
import { answerOf, interpretAnswer, toAppError, type WhmResponse } from './answers.js';
import { directRead } from './prepared-calls.js';
import type { ProxyTransport } from './upstream.js';
import { UpstreamFault } from './upstream-faults.js';
import type { Validated } from './validation.js';

type UserConfigs = Record<string, { is_enabled: 0 | 1 }>;

/** A write: its intent recorded before the upstream call, its outcome after. */
export async function write(
  audit: AuditLog,
  actor: Actor,
  validated: Validated,
  transport: ProxyTransport,
): Promise<WhmResponse> {
  const fn = validated.access.name;
  const base = auditBase(actor, validated.upstream.server.id, fn);
  await audit.append({
    ...base,
    kind: 'intent',
    target: [],
    outcome: null,
    detail: {},
  });
  try {
    const raw = await transport(validated.upstream, validated.call);
    const answer = interpretAnswer(fn, raw);
    await audit.append({ ...base, kind: 'outcome', outcome: 'success', detail: {} });
    return answerOf(fn, answer);
  } catch (error) {
    const outcome: AuditOutcome = isUncertain(error) ? 'unknown' : 'failure';
    const detail: Record<string, unknown> = { error: describeError(error) };
    if (outcome === 'unknown') detail.after = await stateAfter(validated);
    await audit.append({ ...base, kind: 'outcome', outcome, detail });
    return toAppError(error);
  }
}

/** After a write timed out, what WHM shows now (recorded with outcome `unknown`). */
export async function stateAfter(validated: Validated): Promise<unknown> {
  const { upstream, access } = validated;
  const probe: Partial<Record<WhmFunctionName, WhmFunctionName>> = {
    twofactorauth_enable_policy: 'twofactorauth_policy_status',
    twofactorauth_disable_policy: 'twofactorauth_policy_status',
    twofactorauth_set_issuer: 'twofactorauth_get_issuer',
    twofactorauth_remove_user_config: 'twofactorauth_get_user_configs',
  };
  const fn = probe[access.name];
  if (!fn) return null;
  try {
    const answer = await directRead(upstream, fn, {});
    if (fn === 'twofactorauth_get_user_configs') {
      return enabledOf(answer.data as unknown as UserConfigs, validated.targets);
    }
    return answer.data ?? null;
  } catch (error) {
    return { unreadable: describeError(error) };
  }
}

/** Per user, whether WHM has 2FA on (`null`: WHM does not list the user). */
export function enabledOf(configs: UserConfigs, users: string[]): Record<string, boolean | null> {
  const state: Record<string, boolean | null> = {};
  for (const user of users) {
    state[user] = Object.hasOwn(configs, user) ? configs[user]?.is_enabled === 1 : null;
  }
  return state;
}

/**
 * A write whose fate is unknown: it timed out, or the connection failed after the request was
 * fully sent. Its outcome is recorded as `unknown` and WHM's state is read again.
 */
export function isUncertain(error: unknown): boolean {
  return error instanceof UpstreamFault && (error.kind === 'timeout' || error.delivered);
}

export function describeError(error: unknown): string {
  if (error instanceof WhmError) return error.reason;
  if (error instanceof Error) return error.message;
  return 'unknown error';
}
