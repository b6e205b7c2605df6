import { mayUseServer, requireServer } from '../fleet/server-scope.js';
import type { OperatorRecord } from '../operators/operator-store.js';
import type { AuditLog } from '../audit/audit-log.js';
import type { Helpdesk } from '../helpdesk/helpdesk.js';
import { recordDenial } from '../audit/request-records.js';
import { AppError, type ErrorCode } from '../errors.js';
import type { Actor, SessionService } from '../sessions/session-service.js';
import { toAppError, type WhmResponse } from './answers.js';
import { readCallerTwoFactor } from './caller-two-factor.js';
import { directRead } from './prepared-calls.js';
import { removeTwoFactor } from './removal.js';
import { SharedReads, type SerializedAnswer } from './shared-reads.js';
import {
  readTwoFactorAvailability,
  TwoFactorAvailabilityCache,
  type TwoFactorAvailability,
} from './two-factor-availability.js';
import type { ProxyTransport, WhmUpstream } from './upstream.js';
import {
  CallValidator,
  REMOVE_FUNCTION,
  requestedUsers,
  type Validated,
  type WhmCallRequest,
} from './validation.js';
import { write } from './writes.js';

/** Refusals that leave a `denied` audit record (a 400 is a typo, not a denial). */
const DENIAL_CODES = new Set<ErrorCode>([
  'unknown_server',
  'unknown_function',
  'method_not_allowed',
  'forbidden',
  'step_up_required',
]);

const VERIFICATION_DENIALS = new Set<ErrorCode>(['verification_required', 'verification_invalid']);

export interface WhmServiceDeps {
  upstreams: ReadonlyMap<string, WhmUpstream>;
  audit: AuditLog;
  sessions: SessionService;
  /** A removal's caller verification and holder notices (helpdesk/). */
  helpdesk?: Helpdesk;
}

/**
 * The only path to WHM: validation.ts checks the call, then the BFF builds the upstream request
 * itself (prepared-calls.ts), sends it — a read shared (shared-reads.ts), a write or a removal
 * between its audit records (writes.ts, removal.ts) — and checks the answer against the contract.
 */
export class WhmService {
  private readonly validator: CallValidator;
  private readonly reads = new SharedReads();
  private readonly availability = new TwoFactorAvailabilityCache((upstream) =>
    readTwoFactorAvailability(upstream, directRead),
  );

  constructor(private readonly deps: WhmServiceDeps) {
    this.validator = new CallValidator(deps);
  }

  /** Every configured server's upstream (the fleet's changes go through `call` on each). */
  upstreams(): ReadonlyMap<string, WhmUpstream> {
    return this.deps.upstreams;
  }

  /** The servers this operator may use (all, or those with one of its tags). */
  servers(
    operator: Pick<OperatorRecord, 'serverTags'>,
  ): { id: string; label: string; demo: boolean; tags: readonly string[] }[] {
    return [...this.deps.upstreams.values()]
      .filter(({ server }) => mayUseServer(operator, server))
      .map(({ server }) => ({
        id: server.id,
        label: server.label,
        demo: server.demo,
        tags: server.tags ?? [],
      }));
  }

  /**
   * Whether the WHM user the console acts as has 2FA (its name stays with the BFF): the enroll
   * screen says so before an admin replaces it.
   */
  async whmUserTwoFactor(
    operator: Pick<OperatorRecord, 'serverTags'>,
    server: string,
  ): Promise<{ twoFactor: 'on' | 'off' | 'unknown' }> {
    const upstream = this.deps.upstreams.get(server);
    if (!upstream) throw new AppError('unknown_server', 'No WHM server with this id.');
    requireServer(operator, upstream.server);
    const twoFactor = await readCallerTwoFactor(upstream, directRead).catch(toAppError);
    return { twoFactor };
  }

  /** Which packages lack the `twofactorauth` feature, for feature-aware coverage (fails soft). */
  async twoFactorAvailability(
    operator: Pick<OperatorRecord, 'serverTags'>,
    server: string,
  ): Promise<TwoFactorAvailability> {
    const upstream = this.deps.upstreams.get(server);
    if (!upstream) throw new AppError('unknown_server', 'No WHM server with this id.');
    requireServer(operator, upstream.server);
    return this.availability.get(upstream);
  }

  async call(
    actor: Actor,
    request: WhmCallRequest,
    transport: ProxyTransport,
  ): Promise<WhmResponse | SerializedAnswer> {
    let validated: Validated;
    try {
      validated = await this.validator.validate(actor, request);
    } catch (error) {
      await this.recordIfDenied(error, DENIAL_CODES, actor, request, requestedUsers(request));
      throw error;
    }
    const { access } = validated;
    if (access.method === 'GET') return this.reads.read(validated, transport);
    if (access.name === REMOVE_FUNCTION) {
      try {
        return await removeTwoFactor(
          this.deps.audit,
          actor,
          validated,
          transport,
          this.deps.helpdesk,
        );
      } catch (error) {
        // An unverified caller's removal is a refusal worth a record, like a missing step-up.
        await this.recordIfDenied(error, VERIFICATION_DENIALS, actor, request, validated.targets);
        throw error;
      }
    }
    return write(this.deps.audit, actor, validated, transport);
  }

  private async recordIfDenied(
    error: unknown,
    codes: ReadonlySet<string>,
    actor: Actor,
    request: WhmCallRequest,
    targets: readonly string[],
  ): Promise<void> {
    if (error instanceof AppError && codes.has(error.code)) {
      await recordDenial(this.deps.audit, actor, request.server, request.fn, error, [...targets]);
    }
  }
}
