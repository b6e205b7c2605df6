import type { Queryable } from '../db/database.js';

export type SsoIntent = 'sign_in' | 'step_up';

/** A sign-in at the provider in progress: written at the start, taken (once) by the callback. */
export interface SsoFlow {
  stateHash: string;
  /** Hash of the random value in this browser's flow cookie: the callback must come from it. */
  browserHash: string;
  codeVerifier: string;
  nonce: string;
  intent: SsoIntent;
  /** The session a step-up is for (its id hash); null for a sign-in. */
  sessionHash: string | null;
  /** A path in the console to go back to. */
  returnTo: string;
  createdAt: number;
  expiresAt: number;
}

interface FlowRow {
  [key: string]: unknown;
  state_hash: string;
  browser_hash: string;
  code_verifier: string;
  nonce: string;
  intent: SsoIntent;
  session_hash: string | null;
  return_to: string;
  created_at: string | number;
  expires_at: string | number;
}

export class SsoStore {
  constructor(private readonly db: Queryable) {}

  async insert(flow: SsoFlow): Promise<void> {
    await this.db.query(
      `INSERT INTO sso_flows (state_hash, browser_hash, code_verifier, nonce, intent, session_hash,
         return_to, created_at, expires_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)`,
      [
        flow.stateHash,
        flow.browserHash,
        flow.codeVerifier,
        flow.nonce,
        flow.intent,
        flow.sessionHash,
        flow.returnTo,
        flow.createdAt,
        flow.expiresAt,
      ],
    );
  }

  /** Deletes and returns the flow: a callback replayed, or raced on two instances, finds nothing. */
  async take(stateHash: string): Promise<SsoFlow | undefined> {
    const rows = await this.db.query<FlowRow>(
      'DELETE FROM sso_flows WHERE state_hash = $1 RETURNING *',
      [stateHash],
    );
    const row = rows[0];
    if (!row) return undefined;
    return {
      stateHash: row.state_hash,
      browserHash: row.browser_hash,
      codeVerifier: row.code_verifier,
      nonce: row.nonce,
      intent: row.intent,
      sessionHash: row.session_hash,
      returnTo: row.return_to,
      createdAt: Number(row.created_at),
      expiresAt: Number(row.expires_at),
    };
  }

  async purgeExpired(now: number): Promise<void> {
    await this.db.query('DELETE FROM sso_flows WHERE expires_at <= $1', [now]);
  }
}
