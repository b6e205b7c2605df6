import type { ParsedOutputOptions, WhmFunctionName } from '@console/whm-api';
import { errors } from '../errors.js';

/**
 * The console's own rules on what goes upstream, stricter than WHM's (the contract holds WHM's):
 * they run on params the contract has already parsed, so what they pass is what WHM gets.
 */

/** Names that mean something to a JavaScript object; no WHM account, field or column has them. */
const PROTOTYPE_NAMES = new Set(['__proto__', 'constructor', 'prototype']);

/**
 * Perl's quotemeta: every ASCII character but letters, digits and `_` gets a backslash, so WHM's
 * regex search matches the text itself (a backslash before any of them is a literal in Perl's
 * regexes and in JavaScript's without the `u` flag, which the simulator uses).
 */
export function quotemeta(text: string): string {
  return text.replace(/[\x20-\x2f\x3a-\x40\x5b-\x5e\x60\x7b-\x7e]/g, '\\$&');
}

function refusePrototypeNames(field: string, value: unknown): void {
  if (typeof value === 'string') {
    if (PROTOTYPE_NAMES.has(value)) {
      throw errors.invalidParams(field, `${field} may not be “${value}”.`);
    }
  } else if (Array.isArray(value)) {
    value.forEach((item, index) => refusePrototypeNames(`${field}.${index}`, item));
  }
}

function refusePrototypeNamesInOutput(output: ParsedOutputOptions | undefined): void {
  if (!output) return;
  output.filter?.forEach((filter, index) => {
    refusePrototypeNames(`api.filter.${index}.field`, filter.field);
    refusePrototypeNames(`api.filter.${index}.arg0`, filter.arg0);
  });
  output.sort?.forEach((sort, index) =>
    refusePrototypeNames(`api.sort.${index}.field`, sort.field),
  );
  output.columns?.forEach((column, index) => refusePrototypeNames(`api.columns.${index}`, column));
}

/** Only exact or plain-substring searches: one slow pattern would stall every other WHM call. */
function searchParams(params: Record<string, unknown>): Record<string, unknown> {
  if (params.searchmethod !== undefined && params.searchmethod !== 'exact') {
    throw errors.invalidParams(
      'searchmethod',
      'searchmethod may only be “exact”; without it, search matches the text as a substring.',
    );
  }
  const search = params.search;
  if (typeof search === 'string' && search !== '' && params.searchtype === undefined) {
    // WHM ignores a search without a type and lists everything: never what was meant.
    throw errors.invalidParams('searchtype', 'searchtype is required with search.');
  }
  if (typeof search !== 'string' || search === '' || params.searchmethod === 'exact') return params;
  return { ...params, search: quotemeta(search) };
}

/**
 * Checks the contract-parsed params against the console's rules; returns the params to send
 * (a substring search escaped for WHM's regex).
 */
export function applyConsoleRules(
  fn: WhmFunctionName,
  params: Record<string, unknown>,
  output: ParsedOutputOptions | undefined,
): Record<string, unknown> {
  for (const [key, value] of Object.entries(params)) {
    if (key === 'want' && typeof value === 'string') {
      value.split(',').forEach((item) => refusePrototypeNames('want', item));
    } else refusePrototypeNames(key, value);
  }
  refusePrototypeNamesInOutput(output);
  if (fn === 'twofactorauth_set_issuer' && typeof params.issuer === 'string') {
    // WHM takes spaces alone as an issuer; an authenticator app would show a blank name.
    if (params.issuer !== '' && params.issuer.trim() === '') {
      throw errors.invalidParams('issuer', 'issuer may not be only spaces (empty resets it).');
    }
  }
  if (fn === 'listaccts') return searchParams(params);
  return params;
}

/** Whether a read sends a search upstream (these are rate-limited per operator). */
export function isSearch(fn: WhmFunctionName, params: Record<string, unknown>): boolean {
  return fn === 'listaccts' && typeof params.search === 'string' && params.search !== '';
}
