import { createHmac, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvError, isDemoMode, type Env } from '../env.js';

/** The audit chain's HMAC key: outside the database, so a database writer cannot re-sign history. */
export interface AuditKey {
  readonly secret: Buffer;
  /** A fingerprint that names the key in the chain's seal record without revealing it. */
  readonly id: string;
}

export const AUDIT_KEY_MIN_LENGTH = 32;
/** Where demo mode keeps the key it makes for itself. */
export const DEMO_AUDIT_KEY_FILE = 'audit.key';

export function auditKeyOf(secret: Buffer): AuditKey {
  const id = createHmac('sha256', secret).update('audit-key-id').digest('hex').slice(0, 16);
  return { secret, id };
}

function readKey(path: string): AuditKey {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new EnvError('AUDIT_KEY_FILE', `cannot read the audit key from ${path}`);
  }
  if (text.length < AUDIT_KEY_MIN_LENGTH) {
    throw new EnvError(
      'AUDIT_KEY_FILE',
      `${path} must hold at least ${AUDIT_KEY_MIN_LENGTH} characters (openssl rand -hex 32)`,
    );
  }
  return auditKeyOf(Buffer.from(text, 'utf8'));
}

/**
 * `AUDIT_KEY_FILE`; in demo mode, DATA_DIR/audit.key, made on first use. Outside demo mode
 * without it, start-up stops (docs/decisions/009-keyed-audit-chain.md).
 */
export function loadAuditKey(env: Env, demo = isDemoMode(env)): AuditKey {
  if (env.AUDIT_KEY_FILE) return readKey(resolve(env.AUDIT_KEY_FILE));
  if (!demo) {
    throw new EnvError(
      'AUDIT_KEY_FILE',
      'required outside demo mode: the audit chain is keyed with it (create one with `openssl rand -hex 32 > audit.key`, keep it outside the database and its backups)',
    );
  }
  const dataDir = resolve(env.DATA_DIR);
  const path = join(dataDir, DEMO_AUDIT_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    // 'wx': two processes starting together never overwrite each other's key.
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return readKey(path);
}
