import type { Queryable } from '../db/database.js';

export interface Settings {
  requireOperatorTotp: boolean;
  /** Days an operator without TOTP may still sign in (and is made to enroll) once it is required. */
  totpGraceDays: number;
  /** When TOTP became required (epoch ms), set by the service; null while it is not. */
  totpRequiredSince: number | null;
  /** With single sign-on: console passwords sign in admins only (break-glass); the rest use the provider. */
  localSignInAdminsOnly: boolean;
}

export const DEFAULT_TOTP_GRACE_DAYS = 7;
const defaults: Settings = {
  requireOperatorTotp: false,
  totpGraceDays: DEFAULT_TOTP_GRACE_DAYS,
  totpRequiredSince: null,
  localSignInAdminsOnly: false,
};
const CACHE_MS = 2_000;

/** Admin settings, cached for a moment: they are read on every request. */
export class SettingsStore {
  private cached: { at: number; value: Settings } | undefined;
  private loading: Promise<Settings> | undefined;
  /** Bumped by `set`, so a load that began before it cannot put back the old value. */
  private version = 0;

  constructor(private readonly db: Queryable) {}

  /** The cached settings while they are fresh, else undefined (then use `get`). */
  peek(): Settings | undefined {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    return undefined;
  }

  get(): Promise<Settings> {
    const fresh = this.peek();
    if (fresh) return Promise.resolve(fresh);
    // Every request in the moment the cache goes stale waits on the same query.
    if (this.loading) return this.loading;
    const loading = this.load().finally(() => {
      if (this.loading === loading) this.loading = undefined;
    });
    this.loading = loading;
    return loading;
  }

  private async load(): Promise<Settings> {
    const now = Date.now();
    const version = this.version;
    const rows = await this.db.query<{ value: string }>(
      "SELECT value FROM settings WHERE key = 'console'",
    );
    const stored = rows[0] ? (JSON.parse(rows[0].value) as Partial<Settings>) : {};
    const value = { ...defaults, ...stored };
    if (version === this.version) this.cached = { at: now, value };
    return value;
  }

  async set(value: Settings): Promise<Settings> {
    await this.db.query(
      `INSERT INTO settings (key, value) VALUES ('console', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(value)],
    );
    this.version += 1;
    this.loading = undefined;
    this.cached = { at: Date.now(), value };
    return value;
  }
}
