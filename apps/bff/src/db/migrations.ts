import type { Database } from './database.js';

/**
 * Applied in order, each once, inside one transaction holding an advisory lock so two instances
 * starting together against one PostgreSQL do not race. Times are epoch milliseconds (bigint):
 * the same on PGlite and PostgreSQL, no time-zone parsing.
 */
export const migrations: readonly { id: string; sql: string }[] = [
  {
    id: '001_initial',
    sql: `
CREATE TABLE operators (
  id serial PRIMARY KEY,
  username text NOT NULL UNIQUE,
  password_hash text NOT NULL,
  role text NOT NULL CHECK (role IN ('admin', 'support', 'viewer')),
  disabled boolean NOT NULL DEFAULT false,
  totp_secret text,
  totp_last_step bigint,
  created_at bigint NOT NULL,
  last_login_at bigint
);
CREATE TABLE sessions (
  id_hash text PRIMARY KEY,
  operator_id integer NOT NULL REFERENCES operators(id) ON DELETE CASCADE,
  created_at bigint NOT NULL,
  last_seen_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  step_up_until bigint,
  pending_totp_secret text
);
CREATE INDEX sessions_operator ON sessions (operator_id);
CREATE TABLE audit_records (
  id bigint PRIMARY KEY,
  at bigint NOT NULL,
  kind text NOT NULL,
  operator text,
  role text,
  source_ip text,
  server text,
  function text,
  target text NOT NULL,
  reason text,
  request_id text,
  outcome text,
  detail text NOT NULL,
  prev_hash text NOT NULL,
  hash text NOT NULL
);
CREATE INDEX audit_records_at ON audit_records (at);
CREATE TABLE audit_head (
  id integer PRIMARY KEY CHECK (id = 1),
  last_id bigint NOT NULL,
  hash text NOT NULL
);
INSERT INTO audit_head (id, last_id, hash) VALUES (1, 0, '${'0'.repeat(64)}');
CREATE TABLE throttle_counters (
  key text PRIMARY KEY,
  window_start bigint NOT NULL,
  failures integer NOT NULL
);
CREATE TABLE settings (
  key text PRIMARY KEY,
  value text NOT NULL
);
CREATE FUNCTION audit_records_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'audit records are append-only';
END;
$$;
CREATE TRIGGER audit_records_append_only BEFORE UPDATE OR DELETE ON audit_records
  FOR EACH ROW EXECUTE FUNCTION audit_records_append_only();
`,
  },
  {
    // Where a session came from (shown under My account); when an operator's TOTP grace
    // period restarts (an admin's password reset), else it counts from created_at.
    id: '002_sessions_origin_totp_grace',
    sql: `
ALTER TABLE sessions ADD COLUMN source_ip text;
ALTER TABLE sessions ADD COLUMN user_agent text;
ALTER TABLE operators ADD COLUMN totp_grace_from bigint;
`,
  },
  {
    // The keyed chain (SECURITY.md 28, docs/decisions/009-keyed-audit-chain.md): each record says
    // how it is chained, the head carries its own MAC, and neither table can be emptied at once.
    id: '003_audit_keyed_chain',
    sql: `
ALTER TABLE audit_records ADD COLUMN chain text NOT NULL DEFAULT 'sha256'
  CHECK (chain IN ('sha256', 'hmac-sha256'));
ALTER TABLE audit_head ADD COLUMN mac text;
CREATE TRIGGER audit_records_no_truncate BEFORE TRUNCATE ON audit_records
  FOR EACH STATEMENT EXECUTE FUNCTION audit_records_append_only();
CREATE FUNCTION audit_head_kept() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
  RAISE EXCEPTION 'the audit head is kept: it can only move forward';
END;
$$;
CREATE TRIGGER audit_head_kept BEFORE DELETE OR TRUNCATE ON audit_head
  FOR EACH STATEMENT EXECUTE FUNCTION audit_head_kept();
`,
  },
  {
    // The first-admin setup link (setup/, docs/decisions/014-first-operator-setup-link.md): only a
    // hash of each printed token, so instances sharing the database accept each other's links.
    id: '004_setup_tokens',
    sql: `
CREATE TABLE setup_tokens (
  token_hash text PRIMARY KEY,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
`,
  },
  {
    // Operator single sign-on (sso/, docs/decisions/012-operator-sso.md): an operator made by the
    // provider carries its issuer and subject; a sign-in in progress is a row until its callback,
    // so any instance sharing the database can finish it.
    id: '005_sso',
    sql: `
ALTER TABLE operators ADD COLUMN sso_subject text UNIQUE;
CREATE TABLE sso_flows (
  state_hash text PRIMARY KEY,
  browser_hash text NOT NULL,
  code_verifier text NOT NULL,
  nonce text NOT NULL,
  intent text NOT NULL CHECK (intent IN ('sign_in', 'step_up')),
  session_hash text,
  return_to text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL
);
CREATE INDEX sso_flows_expires ON sso_flows (expires_at);
`,
  },
  {
    // The fleet's cache (fleet/): each server's last reading, one history row per reading (the
    // coverage trend), and an index of every account for the search across servers. WHM stays the
    // truth: the per-server screens read it live.
    id: '006_fleet',
    sql: `
CREATE TABLE fleet_snapshots (
  server_id text PRIMARY KEY,
  at bigint NOT NULL,
  reachable boolean NOT NULL,
  fault text,
  policy_enabled boolean,
  issuer text,
  accounts integer NOT NULL,
  enrolled integer NOT NULL,
  without_feature integer NOT NULL,
  suspended integer NOT NULL,
  failures integer NOT NULL DEFAULT 0
);
CREATE TABLE fleet_history (
  server_id text NOT NULL,
  at bigint NOT NULL,
  reachable boolean NOT NULL,
  policy_enabled boolean,
  accounts integer NOT NULL,
  enrolled integer NOT NULL,
  without_feature integer NOT NULL,
  PRIMARY KEY (server_id, at)
);
CREATE INDEX fleet_history_at ON fleet_history (at);
CREATE TABLE fleet_accounts (
  server_id text NOT NULL,
  username text NOT NULL,
  domain text NOT NULL,
  owner text NOT NULL,
  plan text NOT NULL,
  two_factor text NOT NULL CHECK (two_factor IN ('on', 'off', 'unavailable')),
  suspended boolean NOT NULL,
  PRIMARY KEY (server_id, username)
);
CREATE INDEX fleet_accounts_username ON fleet_accounts (lower(username));
CREATE INDEX fleet_accounts_domain ON fleet_accounts (lower(domain));
`,
  },
  {
    // An operator limited to servers by tag (fleet/server-scope.ts): a JSON array, NULL for all.
    id: '007_operator_server_tags',
    sql: `ALTER TABLE operators ADD COLUMN server_tags text;`,
  },
  {
    // Trigram indexes for the fleet search's "contains" (LIKE '%…%') over 200,000 accounts.
    // pg_trgm is a trusted extension (a database owner may create it); a role that may not
    // keeps a working search without the index.
    id: '008_fleet_search_trigrams',
    sql: `
DO $$
BEGIN
  CREATE EXTENSION IF NOT EXISTS pg_trgm SCHEMA public;
  EXECUTE 'CREATE INDEX fleet_accounts_username_trgm ON fleet_accounts
    USING gin (lower(username) public.gin_trgm_ops)';
  EXECUTE 'CREATE INDEX fleet_accounts_domain_trgm ON fleet_accounts
    USING gin (lower(domain) public.gin_trgm_ops)';
EXCEPTION WHEN insufficient_privilege OR feature_not_supported OR undefined_file THEN
  RAISE NOTICE 'fleet search without trigram indexes: %', SQLERRM;
END;
$$;
`,
  },
  {
    // WHM servers an admin adds in the console (servers/): the token sealed with AES-256-GCM
    // under CONSOLE_SECRET_KEY_FILE, never in clear.
    id: '009_managed_servers',
    sql: `
CREATE TABLE managed_servers (
  id text PRIMARY KEY,
  label text NOT NULL,
  url text NOT NULL,
  whm_user text NOT NULL,
  token_sealed text NOT NULL,
  ca text,
  tags text NOT NULL DEFAULT '[]',
  disabled boolean NOT NULL DEFAULT false,
  created_at bigint NOT NULL,
  updated_at bigint NOT NULL
);
`,
  },
  {
    // Mail (mail/): the outbox is written in the transaction of the audit record that causes a
    // message, and delivered by a worker; the idempotency key stops a second copy of one message.
    // A caller's verification code is kept only as an HMAC under the audit key.
    id: '010_mail',
    sql: `
CREATE TABLE mail_outbox (
  id bigserial PRIMARY KEY,
  idempotency_key text NOT NULL UNIQUE,
  kind text NOT NULL,
  to_address text NOT NULL,
  subject text NOT NULL,
  text_body text NOT NULL,
  html_body text NOT NULL,
  server_id text,
  account text,
  status text NOT NULL CHECK (status IN ('queued', 'sending', 'sent', 'failed', 'unconfirmed')),
  attempts integer NOT NULL DEFAULT 0,
  next_attempt_at bigint NOT NULL,
  claimed_by text,
  claimed_until bigint,
  last_error text,
  message_id text NOT NULL,
  created_at bigint NOT NULL,
  sent_at bigint
);
CREATE INDEX mail_outbox_due ON mail_outbox (next_attempt_at) WHERE status = 'queued';
CREATE INDEX mail_outbox_created ON mail_outbox (created_at);
CREATE TABLE caller_verifications (
  id text PRIMARY KEY,
  server_id text NOT NULL,
  account text NOT NULL,
  operator_id integer NOT NULL,
  sent_to text NOT NULL,
  code_mac text NOT NULL,
  created_at bigint NOT NULL,
  expires_at bigint NOT NULL,
  tries integer NOT NULL DEFAULT 0,
  verified_at bigint,
  used_at bigint
);
CREATE INDEX caller_verifications_account ON caller_verifications (server_id, account, created_at);
`,
  },
  {
    // Enrollment reminders (reminders/): a campaign is what an admin sent to whom; a recipient's
    // enrolled_at is set once the fleet index shows the account enrolled after its reminder.
    // reminded_at is the campaign's time, copied so "reminded in the last 7 days" is one index.
    id: '011_reminders',
    sql: `
CREATE TABLE reminder_campaigns (
  id bigserial PRIMARY KEY,
  created_at bigint NOT NULL,
  operator text NOT NULL,
  audit_record bigint NOT NULL,
  filter text NOT NULL,
  counts text NOT NULL
);
CREATE TABLE reminder_recipients (
  campaign_id bigint NOT NULL REFERENCES reminder_campaigns(id) ON DELETE CASCADE,
  server_id text NOT NULL,
  username text NOT NULL,
  address text NOT NULL,
  reminded_at bigint NOT NULL,
  enrolled_at bigint,
  PRIMARY KEY (campaign_id, server_id, username)
);
CREATE INDEX reminder_recipients_account ON reminder_recipients (server_id, username, reminded_at);
`,
  },
];

export async function migrate(db: Database): Promise<string[]> {
  return db.transaction(async (tx) => {
    await tx.query('SELECT pg_advisory_xact_lock(724011)');
    await tx.query(
      'CREATE TABLE IF NOT EXISTS schema_migrations (id text PRIMARY KEY, applied_at bigint NOT NULL)',
    );
    const done = new Set(
      (await tx.query<{ id: string }>('SELECT id FROM schema_migrations')).map((row) => row.id),
    );
    const applied: string[] = [];
    for (const migration of migrations) {
      if (done.has(migration.id)) continue;
      await tx.exec(migration.sql);
      await tx.query('INSERT INTO schema_migrations (id, applied_at) VALUES ($1, $2)', [
        migration.id,
        Date.now(),
      ]);
      applied.push(migration.id);
    }
    return applied;
  });
}
