import {
  catalogue,
  decodeParams,
  encodeParams,
  USERNAME_PATTERN,
  WhmError,
  WhmTransportError,
  WireDecodeError,
  type Metadata,
  type ParsedOutputOptions,
  type WhmAnswer,
  type WhmFunctionName,
} from '@console/whm-api';
import type { z } from 'zod';
import type { AuditLog, AuditOutcome } from '../audit/audit-log.js';
import { auditBase, recordDenial } from '../audit/request-records.js';
import { UNSAFE_TEXT } from '../audit/unsafe-text.js';
import { AppError, errors, type ErrorCode } from '../errors.js';
import type { Actor, SessionService } from '../sessions/session-service.js';
import { accessOf, type FunctionAccess } from './access.js';
import { callerTwoFactor, readCallerTwoFactor } from './caller-two-factor.js';
import {
  readTwoFactorAvailability,
  TwoFactorAvailabilityCache,
  type TwoFactorAvailability,
} from './two-factor-availability.js';
import { applyConsoleRules, isSearch } from './console-rules.js';
import { checkOrdinaryTargets, type DirectRead } from './ordinary-targets.js';
import { SearchLimiter } from './search-limiter.js';
import {
  interpretAnswer,
  UpstreamFault,
  type PreparedCall,
  type ProxyTransport,
  type WhmUpstream,
} from './upstream.js';

export const REMOVE_FUNCTION = 'twofactorauth_remove_user_config';
export const REASON_MIN = 3;
export const REASON_MAX = 500;
const MAX_QUERY_LENGTH = 8_192;
const MAX_VALUE_LENGTH = 1_024;
const CONTROL_CHARACTERS = UNSAFE_TEXT;

/** Refusals that leave a `denied` audit record (a 400 is a typo, not a denial). */
const DENIAL_CODES = new Set<ErrorCode>([
  'unknown_server',
  'unknown_function',
  'method_not_allowed',
  'forbidden',
  'step_up_required',
]);

/** What the route hands over: nothing of req/res, only what the browser asked for. */
export interface WhmCallRequest {
  server: string;
  fn: string;
  method: string;
  /** The raw query string (after `?`), for reads. */
  rawQuery: string;
  /** The parsed JSON body, for writes. */
  body: unknown;
  hasRequestBody: boolean;
}

export interface RemovalResult {
  user: string;
  outcome: 'removed' | 'not_enrolled' | 'failed';
  reason?: string;
}

export interface WhmResponse {
  data?: unknown;
  metadata: { command: string; reason: string; result: 0 | 1 };
  results?: RemovalResult[];
}

/**
 * A read's answer, contract-checked and serialized once: every caller that shared the upstream
 * call gets the same bytes (DESIGN.md: identical reads in flight share one call).
 */
export class SerializedAnswer {
  constructor(readonly body: Buffer) {}
}

/** Callers answered per turn of the event loop when a shared read completes. */
const FAN_OUT_BATCH = 2;

/**
 * Callers one upstream call of a small answer may serve; the next one starts another call, which
 * later callers join.
 * Unbounded, every caller falls into step behind one call — answered together, asking again
 * together, all waiting a whole call. Bounded, calls overlap and a caller mostly joins one already
 * on its way (measured at 20 ms: 0.93× direct unbounded, 1.1× at 16; ADR 006).
 */
export const SHARED_READ_MAX_CALLERS = 16;

/**
 * A read whose last answer was this big is shared by every caller in flight, unbounded: its parse,
 * check and serialization cost milliseconds and megabytes per call, which one call for all saves.
 */
export const BIG_ANSWER_BYTES = 64 * 1024;
const BIG_ANSWERS_KEPT = 10_000;

/**
 * One read in flight and the callers waiting on it. They are answered a few per turn of the event
 * loop: answering fifty at once would hold back the requests that arrive meanwhile, among them the
 * one that starts the next upstream call, and every caller would wait for that pause too.
 */
class SharedRead {
  private readonly waiters: {
    resolve(answer: SerializedAnswer): void;
    reject(error: unknown): void;
  }[] = [];

  constructor(answer: Promise<SerializedAnswer>, settled: () => void) {
    answer.then(
      (value) => {
        settled();
        this.fanOut((waiter) => waiter.resolve(value));
      },
      (error: unknown) => {
        settled();
        this.fanOut((waiter) => waiter.reject(error));
      },
    );
  }

  get full(): boolean {
    return this.waiters.length >= SHARED_READ_MAX_CALLERS;
  }

  join(): Promise<SerializedAnswer> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private fanOut(settle: (waiter: (typeof this.waiters)[number]) => void): void {
    let next = 0;
    const turn = () => {
      const end = Math.min(this.waiters.length, next + FAN_OUT_BATCH);
      while (next < end) settle(this.waiters[next++]!);
      if (next < this.waiters.length) setImmediate(turn);
    };
    turn();
  }
}

export interface WhmServiceDeps {
  upstreams: ReadonlyMap<string, WhmUpstream>;
  audit: AuditLog;
  sessions: SessionService;
}

interface Validated {
  access: FunctionAccess & { name: WhmFunctionName };
  upstream: WhmUpstream;
  params: Record<string, unknown>;
  output: ParsedOutputOptions | undefined;
  reason: string | null;
  targets: string[];
}

function hasControlCharacters(value: unknown): string | null {
  if (typeof value === 'string') return CONTROL_CHARACTERS.test(value) ? '' : null;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = hasControlCharacters(item);
      if (found !== null) return `${index}${found ? `.${found}` : ''}`;
    }
  }
  return null;
}

function metadataOf(fn: string, metadata: Metadata): WhmResponse['metadata'] {
  return {
    command: metadata.command ?? fn,
    reason: metadata.reason ?? 'OK',
    result: metadata.result,
  };
}

/**
 * The only path to WHM. Checks run in DESIGN.md's order — server and function known (404),
 * method (405), role and target (403), params (400), step-up (401) — then the BFF builds the
 * upstream request itself and checks the answer against the contract.
 */
export class WhmService {
  /** Reads in flight, by server and upstream path: one upstream call, one check, one serialization. */
  private readonly readsInFlight = new Map<string, SharedRead>();
  /** Reads (by the same key) whose last answer was at least BIG_ANSWER_BYTES. */
  private readonly bigAnswers = new Set<string>();

  private readonly searches = new SearchLimiter();

  private readonly availability = new TwoFactorAvailabilityCache((upstream) =>
    readTwoFactorAvailability(upstream, this.directRead),
  );

  constructor(private readonly deps: WhmServiceDeps) {}

  servers(): { id: string; label: string; demo: boolean }[] {
    return [...this.deps.upstreams.values()].map(({ server }) => ({
      id: server.id,
      label: server.label,
      demo: server.demo,
    }));
  }

  /**
   * Whether the WHM user the console acts as has 2FA (its name stays with the BFF): the enroll
   * screen says so before an admin replaces it.
   */
  async whmUserTwoFactor(server: string): Promise<{ twoFactor: 'on' | 'off' | 'unknown' }> {
    const upstream = this.deps.upstreams.get(server);
    if (!upstream) throw new AppError('unknown_server', 'No WHM server with this id.');
    const twoFactor = await readCallerTwoFactor(upstream, this.directRead).catch(toAppError);
    return { twoFactor };
  }

  /** Which packages lack the `twofactorauth` feature, for feature-aware coverage (fails soft). */
  async twoFactorAvailability(server: string): Promise<TwoFactorAvailability> {
    const upstream = this.deps.upstreams.get(server);
    if (!upstream) throw new AppError('unknown_server', 'No WHM server with this id.');
    return this.availability.get(upstream);
  }

  async call(
    actor: Actor,
    request: WhmCallRequest,
    transport: ProxyTransport,
  ): Promise<WhmResponse | SerializedAnswer> {
    let validated: Validated;
    try {
      validated = await this.validate(actor, request);
    } catch (error) {
      if (error instanceof AppError && DENIAL_CODES.has(error.code)) {
        await recordDenial(
          this.deps.audit,
          actor,
          request.server,
          request.fn,
          error,
          requestedUsers(request),
        );
      }
      throw error;
    }
    const { access } = validated;
    if (access.method === 'GET') return this.read(validated, transport);
    if (access.name === REMOVE_FUNCTION) return this.removeTwoFactor(actor, validated, transport);
    return this.write(actor, validated, transport);
  }

  private async validate(actor: Actor, request: WhmCallRequest): Promise<Validated> {
    const upstream = this.deps.upstreams.get(request.server);
    if (!upstream) {
      throw new AppError('unknown_server', 'No WHM server with this id.');
    }
    const access = accessOf(request.fn);
    if (!access) throw new AppError('unknown_function', 'This WHM function is not available.');
    if (request.method !== access.method) {
      throw new AppError('method_not_allowed', `Use ${access.method} for ${access.name}.`, {
        logInfo: { allow: access.method },
      });
    }
    const role = actor.operator.role;
    if (!access.roles.includes(role)) throw errors.forbidden();

    const body = access.method === 'POST' ? this.bodyObject(request.body) : undefined;
    if (access.ordinaryTargetsOnlyFor.includes(role) && body) {
      await checkOrdinaryTargets(upstream, body.user, this.directRead);
    }
    const { params, output, reason } =
      access.method === 'GET'
        ? { ...this.decodeQuery(access.name, request), reason: null }
        : this.decodeBody(access.name, body ?? {});
    const parsed = applyConsoleRules(access.name, this.parseParams(access.name, params), output);
    const targets = this.targetsOf(parsed);
    await this.checkStepUp(actor, access, upstream);
    if (isSearch(access.name, parsed)) await this.searches.consume(actor);
    return { access, upstream, params: parsed, output, reason, targets };
  }

  private async checkStepUp(
    actor: Actor,
    access: FunctionAccess & { name: WhmFunctionName },
    upstream: WhmUpstream,
  ): Promise<void> {
    if (this.deps.sessions.hasStepUp(actor)) return;
    if (access.stepUp) throw errors.stepUp();
    if (access.name === 'twofactorauth_set_tfa_config') {
      const state = await callerTwoFactor(upstream, this.directRead);
      if (state === 'on') {
        throw new AppError(
          'step_up_required',
          `${upstream.server.user} already has 2FA; replacing it needs your password or a fresh code first.`,
        );
      }
      if (state === 'unknown') {
        throw new AppError(
          'step_up_required',
          `WHM did not say whether ${upstream.server.user} already has 2FA; confirm with your password or a fresh code first.`,
        );
      }
    }
  }

  private bodyObject(body: unknown): Record<string, unknown> {
    if (body === undefined || body === null) return {};
    if (typeof body !== 'object' || Array.isArray(body)) {
      throw errors.invalidParams('body', 'The body must be a JSON object.');
    }
    return body as Record<string, unknown>;
  }

  private decodeQuery(
    fn: WhmFunctionName,
    request: WhmCallRequest,
  ): { params: Record<string, unknown>; output: ParsedOutputOptions | undefined } {
    if (request.hasRequestBody) throw errors.invalidParams('body', 'A read takes no body.');
    if (request.rawQuery.length > MAX_QUERY_LENGTH) {
      throw errors.invalidParams('query', 'The query is too long.');
    }
    const entries: [string, string][] = [];
    for (const part of request.rawQuery.split('&')) {
      if (part === '') continue;
      const eq = part.indexOf('=');
      const rawKey = eq === -1 ? part : part.slice(0, eq);
      const rawValue = eq === -1 ? '' : part.slice(eq + 1);
      let key: string;
      let value: string;
      try {
        key = decodeURIComponent(rawKey.replace(/\+/g, ' '));
        value = decodeURIComponent(rawValue.replace(/\+/g, ' '));
      } catch {
        throw errors.invalidParams('query', 'The query is not valid percent-encoding.');
      }
      if (key === 'api.version') {
        if (value !== '1') throw errors.invalidParams(key, 'Only api.version=1 exists.');
      }
      if (CONTROL_CHARACTERS.test(key) || key.length > 64) {
        throw errors.invalidParams('query', 'A parameter name is not valid.');
      }
      if (CONTROL_CHARACTERS.test(value)) {
        throw errors.invalidParams(key, `${key} contains control characters.`);
      }
      if (value.length > MAX_VALUE_LENGTH) throw errors.invalidParams(key, `${key} is too long.`);
      entries.push([key, value]);
    }
    const apiVersions = entries.filter(([key]) => key === 'api.version').length;
    if (apiVersions > 1) throw errors.invalidParams('api.version', 'api.version is repeated');
    try {
      return decodeParams(fn, entries, { strict: true });
    } catch (error) {
      if (error instanceof WireDecodeError) throw errors.invalidParams(error.field, error.message);
      throw error;
    }
  }

  private decodeBody(
    fn: WhmFunctionName,
    body: Record<string, unknown>,
  ): { params: Record<string, unknown>; output: undefined; reason: string | null } {
    const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
    let reason: string | null = null;
    const shape = catalogue[fn].params.shape as Record<string, unknown>;
    for (const [key, value] of Object.entries(body)) {
      if (fn === REMOVE_FUNCTION && key === 'reason') {
        if (typeof value !== 'string') throw errors.invalidParams('reason', 'reason must be text.');
        const trimmed = value.trim();
        if (trimmed.length < REASON_MIN || trimmed.length > REASON_MAX) {
          throw errors.invalidParams(
            'reason',
            `reason must be ${REASON_MIN} to ${REASON_MAX} characters.`,
          );
        }
        if (CONTROL_CHARACTERS.test(trimmed)) {
          throw errors.invalidParams('reason', 'reason contains control characters.');
        }
        reason = trimmed;
        continue;
      }
      if (!Object.hasOwn(shape, key)) {
        throw errors.invalidParams(
          key.slice(0, 64),
          `${key.slice(0, 64)} is not a parameter of ${fn}.`,
        );
      }
      const control = hasControlCharacters(value);
      if (control !== null) {
        throw errors.invalidParams(
          control ? `${key}.${control}` : key,
          `${key} contains control characters.`,
        );
      }
      params[key] = value;
    }
    if (fn === REMOVE_FUNCTION && reason === null) {
      throw errors.invalidParams('reason', 'A reason is required.');
    }
    return { params, output: undefined, reason };
  }

  private parseParams(
    fn: WhmFunctionName,
    params: Record<string, unknown>,
  ): Record<string, unknown> {
    const schema = catalogue[fn].params as z.ZodObject;
    const result = schema.safeParse({ ...params });
    if (!result.success) {
      const issue = result.error.issues[0];
      const field = issue?.path.length ? issue.path.map(String).join('.') : 'params';
      throw errors.invalidParams(field, `${field}: ${issue?.message ?? 'invalid'}`);
    }
    return result.data;
  }

  private targetsOf(params: Record<string, unknown>): string[] {
    const user = params.user;
    if (typeof user === 'string') return [user];
    if (Array.isArray(user)) return user.filter((item): item is string => typeof item === 'string');
    return [];
  }

  private prepare(validated: Validated): PreparedCall {
    const { access, params, output } = validated;
    const wire = encodeParams(access.name, params as never, output);
    const write = access.method === 'POST';
    return {
      fn: access.name,
      method: access.method,
      path: `/json-api/${access.name}${write ? '' : `?${wire.toString()}`}`,
      ...(write ? { body: wire.toString() } : {}),
      idempotent: !write,
    };
  }

  private readonly directRead: DirectRead = async <F extends WhmFunctionName>(
    upstream: WhmUpstream,
    fn: F,
    params: Record<string, string>,
  ): Promise<WhmAnswer<F>> => {
    const wire = encodeParams(fn, params as never);
    const raw = await upstream.direct({
      fn,
      method: 'GET',
      path: `/json-api/${fn}?${wire.toString()}`,
      idempotent: true,
    });
    return interpretAnswer(fn, raw, params);
  };

  /**
   * Reads are shared only after each caller passed its own checks (session, CSRF, role, params):
   * the answer of a read depends on the server, function and params alone, never on the caller.
   */
  private read(validated: Validated, transport: ProxyTransport): Promise<SerializedAnswer> {
    const call = this.prepare(validated);
    const key = `${validated.upstream.server.id}\n${call.path}`;
    const current = this.readsInFlight.get(key);
    if (current && (!current.full || this.bigAnswers.has(key))) return current.join();
    const answer = this.readOnce(validated, call, transport).then((serialized) => {
      if (serialized.body.length < BIG_ANSWER_BYTES) this.bigAnswers.delete(key);
      else {
        if (this.bigAnswers.size >= BIG_ANSWERS_KEPT) this.bigAnswers.clear();
        this.bigAnswers.add(key);
      }
      return serialized;
    });
    const shared: SharedRead = new SharedRead(answer, () => {
      if (this.readsInFlight.get(key) === shared) this.readsInFlight.delete(key);
    });
    this.readsInFlight.set(key, shared);
    return shared.join();
  }

  private async readOnce(
    validated: Validated,
    call: PreparedCall,
    transport: ProxyTransport,
  ): Promise<SerializedAnswer> {
    const fn = validated.access.name;
    const raw = await transport(validated.upstream, call).catch(toAppError);
    const answer = this.interpret(fn, raw, validated.params);
    return new SerializedAnswer(Buffer.from(JSON.stringify(this.answerOf(fn, answer))));
  }

  private answerOf(fn: WhmFunctionName, answer: WhmAnswer<WhmFunctionName>): WhmResponse {
    const response: WhmResponse = { metadata: metadataOf(fn, answer.metadata) };
    if (answer.data !== undefined) response.data = answer.data;
    return response;
  }

  private interpret(
    fn: WhmFunctionName,
    raw: Parameters<typeof interpretAnswer>[1],
    params: Record<string, unknown>,
  ) {
    try {
      return interpretAnswer(fn, raw, params);
    } catch (error) {
      return toAppError(error);
    }
  }

  private async write(
    actor: Actor,
    validated: Validated,
    transport: ProxyTransport,
  ): Promise<WhmResponse> {
    const fn = validated.access.name;
    const base = auditBase(actor, validated.upstream.server.id, fn);
    await this.deps.audit.append({
      ...base,
      kind: 'intent',
      target: [],
      outcome: null,
      detail: {},
    });
    try {
      const raw = await transport(validated.upstream, this.prepare(validated));
      const answer = interpretAnswer(fn, raw);
      await this.deps.audit.append({ ...base, kind: 'outcome', outcome: 'success', detail: {} });
      return this.answerOf(fn, answer);
    } catch (error) {
      const outcome: AuditOutcome = isUncertain(error) ? 'unknown' : 'failure';
      const detail: Record<string, unknown> = { error: describe(error) };
      if (outcome === 'unknown') detail.after = await this.stateAfter(validated);
      await this.deps.audit.append({ ...base, kind: 'outcome', outcome, detail });
      return toAppError(error);
    }
  }

  /** After a write timed out, what WHM shows now (recorded with outcome `unknown`). */
  private async stateAfter(validated: Validated): Promise<unknown> {
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
      const answer = await this.directRead(upstream, fn, {});
      if (fn === 'twofactorauth_get_user_configs') {
        return this.enabledOf(answer.data as unknown as UserConfigs, validated.targets);
      }
      return answer.data ?? null;
    } catch (error) {
      return { unreadable: describe(error) };
    }
  }

  private enabledOf(
    configs: Record<string, { is_enabled: 0 | 1 }>,
    users: string[],
  ): Record<string, boolean | null> {
    const state: Record<string, boolean | null> = {};
    for (const user of users) {
      state[user] = Object.hasOwn(configs, user) ? configs[user]?.is_enabled === 1 : null;
    }
    return state;
  }

  /**
   * Removes 2FA: reads every target's prior state, records the intent with it, removes, then
   * records the outcome and tells the caller, per user, whether 2FA was really on.
   */
  private async removeTwoFactor(
    actor: Actor,
    validated: Validated,
    transport: ProxyTransport,
  ): Promise<WhmResponse> {
    const fn = REMOVE_FUNCTION;
    const { upstream, targets, reason } = validated;
    const base = { ...auditBase(actor, upstream.server.id, fn), target: targets, reason };
    const priorAnswer = await this.directRead(upstream, 'twofactorauth_get_user_configs', {}).catch(
      toAppError,
    );
    const prior = this.enabledOf(priorAnswer.data, targets);
    await this.deps.audit.append({ ...base, kind: 'intent', outcome: null, detail: { prior } });
    let answer: WhmAnswer<typeof REMOVE_FUNCTION>;
    try {
      answer = interpretAnswer(fn, await transport(validated.upstream, this.prepare(validated)));
    } catch (error) {
      const outcome: AuditOutcome = isUncertain(error) ? 'unknown' : 'failure';
      const detail: Record<string, unknown> = { prior, error: describe(error) };
      if (outcome === 'unknown') detail.after = await this.stateAfter(validated);
      await this.deps.audit.append({ ...base, kind: 'outcome', outcome, detail });
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
    await this.deps.audit.append({
      ...base,
      kind: 'outcome',
      outcome,
      detail: { prior, results },
    });
    return { ...this.answerOf(fn, answer), results };
  }
}

/** The account names a refused request aimed at, for the audit record (well-formed ones only). */
function requestedUsers(request: WhmCallRequest): string[] {
  const body = request.body as { user?: unknown } | null | undefined;
  if (typeof body !== 'object' || body === null) return [];
  const users = Array.isArray(body.user) ? (body.user as unknown[]) : [body.user];
  return users
    .filter((user): user is string => typeof user === 'string' && USERNAME_PATTERN.test(user))
    .slice(0, 1000);
}

type UserConfigs = Record<string, { is_enabled: 0 | 1 }>;

/**
 * A write whose fate is unknown: it timed out, or the connection failed after the request was
 * fully sent. Its outcome is recorded as `unknown` and WHM's state is read again.
 */
function isUncertain(error: unknown): boolean {
  return error instanceof UpstreamFault && (error.kind === 'timeout' || error.delivered);
}

function describe(error: unknown): string {
  if (error instanceof WhmError) return error.reason;
  if (error instanceof Error) return error.message;
  return 'unknown error';
}

/** Maps WHM and transport failures to the API's codes; never leaks more than WHM's reason. */
export function toAppError(error: unknown): never {
  if (error instanceof AppError) throw error;
  if (error instanceof WhmError) {
    throw new AppError('whm_refused', error.reason, { logInfo: { command: error.command } });
  }
  if (error instanceof UpstreamFault) {
    if (error.kind === 'timeout') {
      throw new AppError('upstream_timeout', 'WHM did not answer in time.', {
        logInfo: { fault: error.message },
      });
    }
    throw new AppError('upstream_unavailable', error.message, {
      logInfo: { fault: error.kind, errorCode: error.errorCode },
    });
  }
  if (error instanceof WhmTransportError) {
    throw new AppError('upstream_unavailable', `WHM's answer was not usable: ${error.failure}.`, {
      logInfo: { fault: error.failure, detail: error.message },
    });
  }
  throw error;
}
