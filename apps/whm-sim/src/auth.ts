import { createHash } from 'node:crypto';
import type { Caller } from './access.js';
import { ROOT, type StoredToken } from './state.js';
import type { StateStore } from './state-store.js';

export type AuthOutcome =
  { ok: true; caller: Caller } | { ok: false; status: 401 | 403; reason: string };

export function hashToken(token: string): string {
  return createHash('sha256').update(token, 'utf8').digest('hex');
}

/** API tokens, kept only as SHA-256 hashes in the state, looked up by hash. */
export class TokenBook {
  private readonly byHash = new Map<string, string>();

  constructor(private readonly store: StateStore) {
    for (const { user, sha256 } of store.state.tokens) this.byHash.set(sha256, user);
  }

  /** Adds a token for root or an existing reseller; returns whether the state changed. */
  add(user: string, token: string): boolean {
    if (user !== ROOT && !this.store.isReseller(user)) {
      throw new Error(`${user} is neither root nor a reseller: WHM API tokens belong to WHM users`);
    }
    if (token === '') throw new Error('an API token cannot be empty');
    const sha256 = hashToken(token);
    if (this.byHash.get(sha256) === user) return false;
    this.remember({ user, sha256 });
    return true;
  }

  /** The root token given at start-up replaces the one given at the previous start. */
  setStartupRootToken(token: string): boolean {
    if (token === '') throw new Error('the root API token cannot be empty');
    const sha256 = hashToken(token);
    const previous = this.store.state.tokens.find((t) => t.startup);
    if (previous?.sha256 === sha256) return false;
    if (previous) {
      this.byHash.delete(previous.sha256);
      this.store.state.tokens = this.store.state.tokens.filter((t) => t !== previous);
    }
    this.remember({ user: ROOT, sha256, startup: true });
    return true;
  }

  private remember(entry: StoredToken): void {
    this.byHash.set(entry.sha256, entry.user);
    this.store.state.tokens = this.store.state.tokens.filter((t) => t.sha256 !== entry.sha256);
    this.store.state.tokens.push(entry);
  }

  userOf(token: string): string | undefined {
    return this.byHash.get(hashToken(token));
  }
}

function credentials(header: string): { user: string; secret: string } | undefined {
  const match = /^(whm|basic)\s+(.+)$/i.exec(header.trim());
  if (!match) return undefined;
  const scheme = (match[1] ?? '').toLowerCase();
  const value = match[2] ?? '';
  const pair = scheme === 'basic' ? Buffer.from(value, 'base64').toString('utf8') : value;
  const colon = pair.indexOf(':');
  if (colon <= 0) return undefined;
  return { user: pair.slice(0, colon), secret: pair.slice(colon + 1) };
}

/**
 * `Authorization: whm USER:TOKEN`, or Basic with the token as the password. No credentials: 401;
 * wrong ones, or a cPanel (not WHM) token: 403, as cpsrvd does.
 */
export function authenticate(header: string | undefined, tokens: TokenBook): AuthOutcome {
  if (header === undefined || header.trim() === '') {
    return { ok: false, status: 401, reason: 'missing credentials' };
  }
  const given = credentials(header);
  if (!given) return { ok: false, status: 401, reason: 'unreadable credentials' };
  if (given.secret.toLowerCase().startsWith('cpanel')) {
    return { ok: false, status: 403, reason: 'cPanel API tokens cannot call WHM API functions' };
  }
  const owner = tokens.userOf(given.secret);
  if (owner === undefined || owner !== given.user) {
    return { ok: false, status: 403, reason: 'invalid credentials' };
  }
  return { ok: true, caller: { user: owner, isRoot: owner === ROOT } };
}
