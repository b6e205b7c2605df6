import { whmReasons, type Account } from '@console/whm-api';
import { perlFalse } from './perl.js';
import { ROOT, SYSTEM_WIDE_ISSUER } from './state.js';
import type { StateStore } from './state-store.js';

/** The WHM user an API token belongs to: root, or a reseller. */
export interface Caller {
  user: string;
  isRoot: boolean;
}

/** Root manages everyone (itself included); a reseller manages itself and the accounts it owns. */
export function canManage(store: StateStore, caller: Caller, user: string): boolean {
  return accessError(store, caller, user) === undefined;
}

/**
 * `Whostmgr/Authz.pm` verify_account_access: why `caller` may not act on `user` (the text of the
 * exception, without its XID), or undefined when it may.
 */
export function accessError(store: StateStore, caller: Caller, user: string): string | undefined {
  if (caller.isRoot) {
    if (user === ROOT || store.account(user) !== undefined || store.isReseller(user)) return;
    return whmReasons.userNotFound(user);
  }
  if (user === caller.user || store.account(user)?.owner === caller.user) return;
  return whmReasons.noAccess(user);
}

/** Root sees every account; a reseller only those it owns, itself only if it owns itself. */
export function visibleAccounts(store: StateStore, caller: Caller): Account[] {
  const all = store.state.accounts;
  if (caller.isRoot) return all;
  return all.filter((acct) => acct.owner === caller.user);
}

/** A stored issuer as Perl reads it: `0` (and empty) are false, so they count as unset. */
function setIssuer(value: string | undefined): string | undefined {
  return value === undefined || perlFalse(value) ? undefined : value;
}

export function systemWideIssuer(store: StateStore, hostname: string): string {
  return setIssuer(store.state.issuers[SYSTEM_WIDE_ISSUER]) ?? hostname;
}

/**
 * The issuer authenticator apps show for `user`: a reseller's own issuer, else its owner's,
 * else the system-wide one. An ordinary account takes its owner's.
 */
export function issuerFor(store: StateStore, user: string, hostname: string): string {
  const issuers = store.state.issuers;
  const fallback = systemWideIssuer(store, hostname);
  if (user === ROOT) return fallback;
  const own = store.isReseller(user) ? setIssuer(issuers[user]) : undefined;
  if (own !== undefined) return own;
  const owner = store.account(user)?.owner;
  if (owner && owner !== ROOT && owner !== user && store.isReseller(owner)) {
    return setIssuer(issuers[owner]) ?? fallback;
  }
  return fallback;
}
