import type { Queryable } from '../db/database.js';

export interface Settings {
  requireOperatorTotp: boolean;
}

const defaults: Settings = { requireOperatorTotp: false };
const CACHE_MS = 2_000;

/** Admin settings, cached for a moment: they are read on every request. */
export class SettingsStore {
  private cached: { at: number; value: Settings } | undefined;

  constructor(private readonly db: Queryable) {}

  /** The cached settings while they are fresh, else undefined (then use `get`). */
  peek(): Settings | undefined {
    if (this.cached && Date.now() - this.cached.at < CACHE_MS) return this.cached.value;
    return undefined;
  }

  async get(): Promise<Settings> {
    const now = Date.now();
    if (this.cached && now - this.cached.at < CACHE_MS) return this.cached.value;
    const rows = await this.db.query<{ value: string }>(
      "SELECT value FROM settings WHERE key = 'console'",
    );
    const stored = rows[0] ? (JSON.parse(rows[0].value) as Partial<Settings>) : {};
    const value = { ...defaults, ...stored };
    this.cached = { at: now, value };
    return value;
  }

  async set(value: Settings): Promise<Settings> {
    await this.db.query(
      `INSERT INTO settings (key, value) VALUES ('console', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(value)],
    );
    this.cached = { at: Date.now(), value };
    return value;
  }
}
