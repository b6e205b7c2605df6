import { randomUUID } from 'node:crypto';
import pLimit from 'p-limit';
import { z } from 'zod';
import type { AuditLog } from '../audit/audit-log.js';
import { auditBase } from '../audit/request-records.js';
import { AppError, errors } from '../errors.js';
import { directRead } from '../whm/prepared-calls.js';
import type { WhmUpstream } from '../whm/upstream.js';
import type { WhmService } from '../whm/whm-service.js';
import { SERVER_ID_PATTERN, SERVER_TAG_PATTERN } from '../whm/servers.js';
import type { Actor, SessionService } from '../sessions/session-service.js';
import { mayUseServer } from './server-scope.js';

/** Servers changed at once: enough for 100 servers in a few seconds, few enough to stay polite. */
export const FLEET_CHANGE_CONCURRENCY = 8;

export const fleetChangeBody = z.strictObject({
  action: z.enum(['enable_policy', 'disable_policy', 'set_issuer']),
  /** Only with set_issuer; each server's write checks it as WHM's own page would. */
  issuer: z.string().min(1).max(200).optional(),
  target: z.union([
    z.strictObject({ all: z.literal(true) }),
    z.strictObject({ tag: z.string().regex(SERVER_TAG_PATTERN, 'must be a server tag') }),
    z.strictObject({
      servers: z.array(z.string().regex(SERVER_ID_PATTERN, 'must be a server id')).min(1).max(500),
    }),
  ]),
  /** Says what would change where, and changes nothing. */
  preview: z.boolean().optional(),
});
export type FleetChange = z.output<typeof fleetChangeBody>;

export type ChangeResult =
  | { server: string; label: string; result: 'changed' | 'already' }
  | { server: string; label: string; result: 'failed'; reason: string };

const FUNCTION_OF = {
  enable_policy: 'twofactorauth_enable_policy',
  disable_policy: 'twofactorauth_disable_policy',
  set_issuer: 'twofactorauth_set_issuer',
} as const;

/** Whether the server is already as the change would leave it, read live. */
async function alreadySo(upstream: WhmUpstream, change: FleetChange): Promise<boolean> {
  if (change.action === 'set_issuer') {
    const answer = await directRead(upstream, 'twofactorauth_get_issuer', {});
    return answer.data.issuer === change.issuer;
  }
  const answer = await directRead(upstream, 'twofactorauth_policy_status', {});
  return Boolean(answer.data.is_enabled) === (change.action === 'enable_policy');
}

function reasonOf(error: unknown): string {
  if (error instanceof AppError) return error.message;
  return error instanceof Error ? error.message : 'unknown error';
}

/**
 * The policy or the issuer on a chosen set of servers (admin, step-up): each server through the
 * same checked, audited write as on its own screen, a few at once, results as they come; one
 * record for the whole operation before and after.
 */
export class FleetChanges {
  constructor(
    private readonly deps: {
      upstreams: ReadonlyMap<string, WhmUpstream>;
      whm: WhmService;
      sessions: SessionService;
      audit: AuditLog;
    },
  ) {}

  /** The servers a target names; an unknown id is a 400 naming it. */
  servers(actor: Actor, change: FleetChange): WhmUpstream[] {
    // An admin limited by tag changes its own servers only.
    const all = [...this.deps.upstreams.values()].filter((u) =>
      mayUseServer(actor.operator, u.server),
    );
    const { target } = change;
    if ('all' in target) return all;
    if ('tag' in target) {
      const tagged = all.filter((u) => (u.server.tags ?? []).includes(target.tag));
      if (tagged.length === 0)
        throw errors.invalidParams('target.tag', `No server has tag ${target.tag}.`);
      return tagged;
    }
    return [...new Set(target.servers)].map((id) => {
      const upstream = all.find((u) => u.server.id === id);
      if (!upstream) throw errors.invalidParams('target.servers', `No server ${id}.`);
      return upstream;
    });
  }

  check(actor: Actor, change: FleetChange): void {
    if (actor.operator.role !== 'admin')
      throw errors.forbidden('Fleet-wide changes are for admins.');
    if (change.action === 'set_issuer' && change.issuer === undefined) {
      throw errors.invalidParams('issuer', 'Give the issuer to set.');
    }
    if (change.action !== 'set_issuer' && change.issuer !== undefined) {
      throw errors.invalidParams('issuer', 'An issuer goes with set_issuer only.');
    }
    if (!this.deps.sessions.hasStepUp(actor)) throw errors.stepUp();
  }

  /** What would change where: read live, nothing written. */
  async preview(actor: Actor, change: FleetChange) {
    const limit = pLimit(FLEET_CHANGE_CONCURRENCY);
    const servers = await Promise.all(
      this.servers(actor, change).map((upstream) =>
        limit(async () => {
          const base = { server: upstream.server.id, label: upstream.server.label };
          try {
            return { ...base, change: (await alreadySo(upstream, change)) ? 'already' : 'change' };
          } catch (error) {
            return { ...base, change: 'unknown', reason: reasonOf(error) };
          }
        }),
      ),
    );
    return { action: change.action, servers };
  }

  /** Runs the change; `report` gets each server's result as it comes. */
  async run(
    actor: Actor,
    change: FleetChange,
    report: (result: ChangeResult) => void,
  ): Promise<{ operation: string; changed: number; already: number; failed: number }> {
    const targets = this.servers(actor, change);
    const operation = randomUUID();
    const fn = FUNCTION_OF[change.action];
    const base = {
      ...auditBase(actor, null, `fleet:${fn}`),
      target: targets.map((u) => u.server.id),
    };
    await this.deps.audit.append({
      ...base,
      kind: 'intent',
      outcome: null,
      detail: { operation, ...(change.issuer !== undefined ? { issuer: change.issuer } : {}) },
    });
    const counts = { changed: 0, already: 0, failed: 0 };
    const limit = pLimit(FLEET_CHANGE_CONCURRENCY);
    await Promise.all(
      targets.map((upstream) =>
        limit(async () => {
          const result = await this.changeOne(actor, upstream, change);
          counts[result.result] += 1;
          report(result);
        }),
      ),
    );
    await this.deps.audit.append({
      ...base,
      kind: 'outcome',
      outcome:
        counts.failed === 0 ? 'success' : counts.failed === targets.length ? 'failure' : 'partial',
      detail: { operation, ...counts },
    });
    return { operation, ...counts };
  }

  private async changeOne(
    actor: Actor,
    upstream: WhmUpstream,
    change: FleetChange,
  ): Promise<ChangeResult> {
    const base = { server: upstream.server.id, label: upstream.server.label };
    try {
      if (await alreadySo(upstream, change)) return { ...base, result: 'already' };
      // The server's own write path: its checks, its intent and outcome records.
      await this.deps.whm.call(
        actor,
        {
          server: upstream.server.id,
          fn: FUNCTION_OF[change.action],
          method: 'POST',
          rawQuery: '',
          body: change.action === 'set_issuer' ? { issuer: change.issuer } : {},
          hasRequestBody: true,
        },
        (target, call) => target.direct(call),
      );
      return { ...base, result: 'changed' };
    } catch (error) {
      return { ...base, result: 'failed', reason: reasonOf(error) };
    }
  }
}
