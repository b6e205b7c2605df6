import type { Account } from '@console/whm-api';
import { ROOT, SYSTEM_WIDE_ISSUER } from './state.js';
import type { StateStore } from './state-store.js';

/** The WHM user an API token belongs to: root, or a reseller. */
export interface Caller {
  user: string;
  isRoot: boolean;
}

/** Root manages everyone (itself included); a reseller manages itself and the accounts it owns. */
export function canManage(store: StateStore, caller: Caller, user: string): boolean {
  if (caller.isRoot) return user === ROOT || store.account(user) !== undefined;
  if (user === caller.user) return store.account(user) !== undefined;
  return store.account(user)?.owner === caller.user;
}

export function visibleAccounts(store: StateStore, caller: Caller): Account[] {
  const all = store.state.accounts;
  if (caller.isRoot) return all;
  return all.filter((acct) => acct.owner === caller.user || acct.user === caller.user);
}

export function systemWideIssuer(store: StateStore, hostname: string): string {
  return store.state.issuers[SYSTEM_WIDE_ISSUER] ?? hostname;
}

/**
 * The issuer authenticator apps show for `user`: a reseller's own issuer, else its owner's,
 * else the system-wide one. An ordinary account takes its owner's.
 */
export function issuerFor(store: StateStore, user: string, hostname: string): string {
  const issuers = store.state.issuers;
  const fallback = systemWideIssuer(store, hostname);
  if (user === ROOT) return fallback;
  const own = store.isReseller(user) ? issuers[user] : undefined;
  if (own !== undefined) return own;
  const owner = store.account(user)?.owner;
  if (owner && owner !== ROOT && owner !== user && store.isReseller(owner)) {
    return issuers[owner] ?? fallback;
  }
  return fallback;
}
