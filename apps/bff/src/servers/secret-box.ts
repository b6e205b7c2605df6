import { createCipheriv, createDecipheriv, hkdfSync, randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { EnvError, type Env } from '../env.js';

export const SECRET_KEY_MIN_LENGTH = 32;
const DEMO_SECRET_KEY_FILE = 'secret.key';
const VERSION = 'v1';

/**
 * AES-256-GCM for the secrets the console stores (WHM tokens; SECURITY.md 27), under a key kept
 * outside the database (`CONSOLE_SECRET_KEY_FILE`): a copy of the database alone opens nothing.
 * Each value is bound to what it belongs to (`aad`: the server id), so a token cannot be moved
 * to another row unnoticed.
 */
export class SecretBox {
  private readonly key: Buffer;

  constructor(material: Buffer) {
    this.key = Buffer.from(
      hkdfSync('sha256', material, 'twofactor-console', 'stored secrets v1', 32),
    );
  }

  seal(plaintext: string, aad: string): string {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(aad, 'utf8'));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return `${VERSION}:${Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64')}`;
  }

  /** Throws when the value was made under another key, for another row, or changed. */
  open(sealed: string, aad: string): string {
    const [version, data] = sealed.split(':');
    if (version !== VERSION || !data) throw new Error('not a sealed secret');
    const raw = Buffer.from(data, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, raw.subarray(0, 12));
    decipher.setAAD(Buffer.from(aad, 'utf8'));
    decipher.setAuthTag(raw.subarray(12, 28));
    return Buffer.concat([decipher.update(raw.subarray(28)), decipher.final()]).toString('utf8');
  }
}

function readKey(path: string): Buffer {
  let text: string;
  try {
    text = readFileSync(path, 'utf8').trim();
  } catch {
    throw new EnvError('CONSOLE_SECRET_KEY_FILE', `cannot read the secret key from ${path}`);
  }
  if (text.length < SECRET_KEY_MIN_LENGTH) {
    throw new EnvError(
      'CONSOLE_SECRET_KEY_FILE',
      `${path} must hold at least ${SECRET_KEY_MIN_LENGTH} characters (openssl rand -hex 32)`,
    );
  }
  return Buffer.from(text, 'utf8');
}

/**
 * `CONSOLE_SECRET_KEY_FILE`; demo mode makes DATA_DIR/secret.key. Without it outside demo mode
 * there is no box: the console then refuses to store tokens (servers come from a file only).
 */
export function loadSecretBox(env: Env, demo: boolean): SecretBox | undefined {
  if (env.CONSOLE_SECRET_KEY_FILE)
    return new SecretBox(readKey(resolve(env.CONSOLE_SECRET_KEY_FILE)));
  if (!demo) return undefined;
  const dataDir = resolve(env.DATA_DIR);
  const path = join(dataDir, DEMO_SECRET_KEY_FILE);
  mkdirSync(dataDir, { recursive: true });
  try {
    writeFileSync(path, `${randomBytes(32).toString('hex')}\n`, { flag: 'wx', mode: 0o600 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  return new SecretBox(readKey(path));
}
