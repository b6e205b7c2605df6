import { catalogue, whmReasons, type ParsedParamsOf, type WhmFunctionName } from '@console/whm-api';
import type { Caller } from '../access.js';
import type { StateStore } from '../state-store.js';
import { perlString } from '../perl.js';
import { exceptionText } from '../xid.js';

/** A `result: 0` answer with WHM's reason. */
export class WhmFailure extends Error {
  override readonly name = 'WhmFailure';
  constructor(readonly reason: string) {
    super(reason);
  }
}

export interface HandlerContext {
  caller: Caller;
  /** Params after wire decoding, before the catalogue's schema. */
  raw: Record<string, unknown>;
  /** Every param as cPanel's form parser leaves it (repeats renamed `name-0`, ...), unknown ones too. */
  form: readonly [string, string][];
  /** The parsed JSON body, for the one function that takes one. */
  json: unknown;
  store: StateStore;
  hostname: string;
  now: () => number;
}

export interface HandlerResult {
  /** Left out: the envelope has no `data` key, as WHM does for functions that return nothing. */
  data?: unknown;
}

export type Handler = (context: HandlerContext) => HandlerResult | Promise<HandlerResult>;

/**
 * Validates with the catalogue; a failure becomes the reason WHM gives for that field.
 * `reasonFor` gets the first offending field name.
 */
export function parseParams<F extends WhmFunctionName>(
  name: F,
  raw: Record<string, unknown>,
  reasonFor: (field: string) => string,
): ParsedParamsOf<F> {
  const parsed = catalogue[name].params.safeParse(raw);
  if (!parsed.success) {
    const field = String(parsed.error.issues[0]?.path[0] ?? '');
    throw new WhmFailure(reasonFor(field));
  }
  return parsed.data as ParsedParamsOf<F>;
}

/** `result: 0` with `API failure: ` + a cPanel exception's text, as for errors nobody caught. */
export function apiFailure(message: string): WhmFailure {
  return new WhmFailure(`${whmReasons.apiFailure}${exceptionText(message)}`);
}

/**
 * `Whostmgr/API/1/Utils.pm` get_length_required_argument: a missing or empty parameter dies,
 * naming the implementing Perl sub (`Whostmgr::API::1::Cpanel::uapi_cpanel`).
 */
export function requiredArgument(
  raw: Record<string, unknown>,
  name: string,
  perlSub: string,
): string {
  const value = raw[name];
  if (value === undefined) throw apiFailure(whmReasons.missingParameter(name, perlSub));
  const text = perlString(Array.isArray(value) ? value[0] : value);
  if (text === '') throw apiFailure(whmReasons.emptyParameter(name));
  return text;
}

/** Root-only functions refuse resellers the way WHM refuses a missing ACL. */
export function requireRoot(context: HandlerContext, name: string): void {
  if (!context.caller.isRoot) {
    throw new WhmFailure(`Permission denied: You do not have permission to call “${name}”.`);
  }
}

const SAVE_ERROR = 'The system failed to save the two-factor authentication data to disk.';

/**
 * Saves the change; if the disk refuses it, WHM answers with the function's own failure text, or
 * with `prefix` + the exception's text where the function wraps it (`{ prefix }`).
 */
export async function persist(
  context: HandlerContext,
  failure: string | { prefix: string },
): Promise<void> {
  try {
    await context.store.commit();
  } catch {
    if (typeof failure === 'string') throw new WhmFailure(failure);
    throw new WhmFailure(`${failure.prefix}${exceptionText(SAVE_ERROR)}`);
  }
}
