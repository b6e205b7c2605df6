import { requireServer } from '../fleet/server-scope.js';
import {
  catalogue,
  decodeParams,
  USERNAME_PATTERN,
  WireDecodeError,
  type ParsedOutputOptions,
  type WhmFunctionName,
} from '@console/whm-api';
import type { z } from 'zod';
import { UNSAFE_TEXT } from '../audit/unsafe-text.js';
import { AppError, errors } from '../errors.js';
import type { Actor, SessionService } from '../sessions/session-service.js';
import {
  ticketReference,
  verificationId,
  verificationMethods,
  type VerificationMethod,
} from '../helpdesk/verification-schemas.js';
import { accessOf, type FunctionAccess } from './access.js';
import { callerTwoFactor } from './caller-two-factor.js';
import { applyConsoleRules, isSearch } from './console-rules.js';
import { checkOrdinaryTargets } from './ordinary-targets.js';
import { directRead, prepare } from './prepared-calls.js';
import { SearchLimiter } from './search-limiter.js';
import type { PreparedCall, WhmUpstream } from './upstream.js';

export const REMOVE_FUNCTION = 'twofactorauth_remove_user_config';
export const REASON_MIN = 3;
export const REASON_MAX = 500;
const MAX_QUERY_LENGTH = 8_192;
const MAX_VALUE_LENGTH = 1_024;
const CONTROL_CHARACTERS = UNSAFE_TEXT;

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

/** A call that passed every check: what the BFF sends WHM is built from this alone. */
export interface Validated {
  access: FunctionAccess & { name: WhmFunctionName };
  upstream: WhmUpstream;
  params: Record<string, unknown>;
  output: ParsedOutputOptions | undefined;
  reason: string | null;
  /** How the caller was verified, as the removal's body says (checked by helpdesk/). */
  verification: GivenVerification | null;
  targets: string[];
  /** The upstream request, built from the params alone. */
  call: PreparedCall;
}

/** What a read's query comes to: the same for every caller (the caller's checks are apart). */
interface ReadPlan {
  readonly params: Readonly<Record<string, unknown>>;
  readonly output: ParsedOutputOptions | undefined;
  readonly targets: string[];
  /** Whether it sends a search upstream (rate-limited per operator). */
  readonly search: boolean;
  readonly call: PreparedCall;
}

/** Read plans kept; past it the cache starts again (a cheap bound, no LRU bookkeeping per read). */
const READ_PLANS_KEPT = 1_000;

/**
 * Decoding, contract-checking and re-encoding a read's query is a pure function of the function and
 * the query, and a third of a read's CPU and garbage: the console asks the same few reads again and
 * again (policy, issuer, the account list), so each query's plan is worked out once. Refused
 * queries are not kept: they throw, every time.
 */
class ReadPlans {
  private readonly plans = new Map<string, ReadPlan>();

  get(fn: WhmFunctionName, request: WhmCallRequest): ReadPlan {
    if (request.hasRequestBody) throw errors.invalidParams('body', 'A read takes no body.');
    const key = `${fn}?${request.rawQuery}`;
    const known = this.plans.get(key);
    if (known) return known;
    const { params, output } = decodeQuery(fn, request.rawQuery);
    const parsed = Object.freeze(applyConsoleRules(fn, parseParams(fn, params), output));
    const checked = { params: parsed, output, targets: targetsOf(parsed) };
    const plan: ReadPlan = Object.freeze({
      ...checked,
      search: isSearch(fn, parsed),
      call: prepare({ name: fn, method: 'GET' }, checked),
    });
    if (this.plans.size >= READ_PLANS_KEPT) this.plans.clear();
    this.plans.set(key, plan);
    return plan;
  }
}

/**
 * Checks in DESIGN.md's order — server and function known (404), method (405), role and target
 * (403), params (400), step-up (401) — and the search limit.
 */
export class CallValidator {
  private readonly searches = new SearchLimiter();
  private readonly readPlans = new ReadPlans();

  constructor(
    private readonly deps: {
      upstreams: ReadonlyMap<string, WhmUpstream>;
      sessions: SessionService;
    },
  ) {}

  async validate(actor: Actor, request: WhmCallRequest): Promise<Validated> {
    const upstream = this.deps.upstreams.get(request.server);
    if (!upstream) {
      throw new AppError('unknown_server', 'No WHM server with this id.');
    }
    requireServer(actor.operator, upstream.server);
    const access = accessOf(request.fn);
    if (!access) throw new AppError('unknown_function', 'This WHM function is not available.');
    if (request.method !== access.method) {
      throw new AppError('method_not_allowed', `Use ${access.method} for ${access.name}.`, {
        logInfo: { allow: access.method },
      });
    }
    const role = actor.operator.role;
    if (!access.roles.includes(role)) throw errors.forbidden();

    if (access.method === 'GET') {
      const plan = this.readPlans.get(access.name, request);
      if (access.stepUp && !this.deps.sessions.hasStepUp(actor)) throw errors.stepUp();
      if (plan.search) await this.searches.consume(actor);
      return { access, upstream, ...plan, reason: null, verification: null };
    }
    const body = bodyObject(request.body);
    if (access.ordinaryTargetsOnlyFor.includes(role)) {
      await checkOrdinaryTargets(upstream, body.user, directRead);
    }
    const { params, output, reason, verification } = decodeBody(access.name, body);
    const parsed = applyConsoleRules(access.name, parseParams(access.name, params), output);
    await this.checkStepUp(actor, access, upstream);
    const checked = { params: parsed, output, targets: targetsOf(parsed) };
    return { access, upstream, ...checked, reason, verification, call: prepare(access, checked) };
  }

  private async checkStepUp(
    actor: Actor,
    access: FunctionAccess & { name: WhmFunctionName },
    upstream: WhmUpstream,
  ): Promise<void> {
    if (this.deps.sessions.hasStepUp(actor)) return;
    if (access.stepUp) throw errors.stepUp();
    if (access.name === 'twofactorauth_set_tfa_config') {
      const state = await callerTwoFactor(upstream, directRead);
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
}

/** The account names a refused request aimed at, for the audit record (well-formed ones only). */
export function requestedUsers(request: WhmCallRequest): string[] {
  const body = request.body as { user?: unknown } | null | undefined;
  if (typeof body !== 'object' || body === null) return [];
  const users = Array.isArray(body.user) ? (body.user as unknown[]) : [body.user];
  return users
    .filter((user): user is string => typeof user === 'string' && USERNAME_PATTERN.test(user))
    .slice(0, 1000);
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

function bodyObject(body: unknown): Record<string, unknown> {
  if (body === undefined || body === null) return {};
  if (typeof body !== 'object' || Array.isArray(body)) {
    throw errors.invalidParams('body', 'The body must be a JSON object.');
  }
  return body as Record<string, unknown>;
}

function decodeQuery(
  fn: WhmFunctionName,
  rawQuery: string,
): { params: Record<string, unknown>; output: ParsedOutputOptions | undefined } {
  if (rawQuery.length > MAX_QUERY_LENGTH) {
    throw errors.invalidParams('query', 'The query is too long.');
  }
  const entries: [string, string][] = [];
  for (const part of rawQuery.split('&')) {
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

export interface GivenVerification {
  method: VerificationMethod;
  /** The checked code's verification id, or the ticket reference. */
  ref: string;
}

/** `verification` and `verification_ref` of a removal's body: the console's, never WHM's. */
function decodeVerification(body: Record<string, unknown>): GivenVerification | null {
  const method = body.verification;
  const ref = body.verification_ref;
  if (method === undefined && ref === undefined) return null;
  if (!verificationMethods.includes(method as VerificationMethod)) {
    throw errors.invalidParams(
      'verification',
      `verification must be one of ${verificationMethods.join(', ')}.`,
    );
  }
  if (method === 'email_code') {
    const id = verificationId.safeParse(ref);
    if (!id.success) {
      throw errors.invalidParams(
        'verification_ref',
        "verification_ref must be the checked code's id.",
      );
    }
    return { method, ref: id.data };
  }
  const ticket = ticketReference.safeParse(ref);
  if (!ticket.success) {
    throw errors.invalidParams(
      'verification_ref',
      'verification_ref must be the ticket reference (up to 100 characters).',
    );
  }
  return { method: 'ticket', ref: ticket.data };
}

function decodeBody(
  fn: WhmFunctionName,
  body: Record<string, unknown>,
): {
  params: Record<string, unknown>;
  output: undefined;
  reason: string | null;
  verification: GivenVerification | null;
} {
  const params: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let reason: string | null = null;
  const verification = fn === REMOVE_FUNCTION ? decodeVerification(body) : null;
  const shape = catalogue[fn].params.shape as Record<string, unknown>;
  for (const [key, value] of Object.entries(body)) {
    if (fn === REMOVE_FUNCTION && (key === 'verification' || key === 'verification_ref')) continue;
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
  return { params, output: undefined, reason, verification };
}

function parseParams(
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

function targetsOf(params: Record<string, unknown>): string[] {
  const user = params.user;
  if (typeof user === 'string') return [user];
  if (Array.isArray(user)) return user.filter((item): item is string => typeof item === 'string');
  return [];
}
