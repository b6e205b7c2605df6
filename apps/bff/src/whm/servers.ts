import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { z } from 'zod';
import { EnvError, type Env } from '../env.js';

export interface WhmServerConfig {
  id: string;
  label: string;
  /** Origin only (`https://host:2087`): the one place a request to this server can go. */
  url: string;
  user: string;
  token: string;
  /** PEM of a CA (or self-signed certificate) to trust for this server, in addition to none. */
  ca?: string | undefined;
  demo: boolean;
  /** Labels an admin groups servers by (a datacenter, say); operators may be limited to some. */
  tags?: readonly string[] | undefined;
}

export const SERVER_TAG_PATTERN = /^[a-z0-9][a-z0-9._-]{0,31}$/;

export const SERVER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;

const serverEntry = z.strictObject({
  id: z.string().regex(SERVER_ID_PATTERN),
  label: z.string().min(1).max(100),
  url: z.url({ protocol: /^https?$/ }),
  user: z.string().regex(/^[a-z][a-z0-9_-]{0,31}$/),
  tokenFile: z.string().min(1),
  caFile: z.string().min(1).optional(),
  tags: z
    .array(z.string().regex(SERVER_TAG_PATTERN, 'a tag is 1 to 32 of a-z, 0-9, ".", "_", "-"'))
    .max(20)
    .optional(),
});
const serversFile = z.array(serverEntry).min(1).max(100);

function origin(url: string, variable: string): string {
  const parsed = new URL(url);
  if (parsed.pathname !== '/' || parsed.search || parsed.username || parsed.password) {
    throw new EnvError(variable, 'must be an origin such as https://whm.example.com:2087');
  }
  return parsed.origin;
}

function readSecretFile(path: string, variable: string): string {
  try {
    const value = readFileSync(path, 'utf8').trim();
    if (!value) throw new Error('empty');
    return value;
  } catch {
    throw new EnvError(variable, `cannot read a token from ${path}`);
  }
}

function readCa(path: string, variable: string): string {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    throw new EnvError(variable, `cannot read ${path}`);
  }
}

/** The configured WHM servers; an empty list means demo mode (the caller starts the simulator). */
export function loadServers(env: Env): WhmServerConfig[] {
  if (env.WHM_SERVERS_FILE) {
    const file = env.WHM_SERVERS_FILE;
    let raw: unknown;
    try {
      raw = JSON.parse(readFileSync(file, 'utf8'));
    } catch {
      throw new EnvError('WHM_SERVERS_FILE', `cannot read JSON from ${file}`);
    }
    const parsed = serversFile.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      throw new EnvError(
        'WHM_SERVERS_FILE',
        `${issue?.path.join('.') ?? ''}: ${issue?.message ?? 'invalid'}`,
      );
    }
    const ids = new Set<string>();
    const base = dirname(resolve(file));
    return parsed.data.map((entry) => {
      if (ids.has(entry.id)) throw new EnvError('WHM_SERVERS_FILE', `duplicate id ${entry.id}`);
      ids.add(entry.id);
      return {
        id: entry.id,
        label: entry.label,
        url: origin(entry.url, 'WHM_SERVERS_FILE'),
        user: entry.user,
        token: readSecretFile(resolve(base, entry.tokenFile), 'WHM_SERVERS_FILE'),
        ca: entry.caFile ? readCa(resolve(base, entry.caFile), 'WHM_SERVERS_FILE') : undefined,
        demo: false,
        tags: entry.tags ? [...new Set(entry.tags)] : [],
      };
    });
  }
  if (env.WHM_URL && env.WHM_USER) {
    const token =
      env.WHM_TOKEN ??
      (env.WHM_TOKEN_FILE ? readSecretFile(env.WHM_TOKEN_FILE, 'WHM_TOKEN_FILE') : undefined);
    if (!token) throw new EnvError('WHM_TOKEN', 'required with WHM_URL');
    return [
      {
        id: 'main',
        label: env.WHM_LABEL ?? new URL(env.WHM_URL).hostname,
        url: origin(env.WHM_URL, 'WHM_URL'),
        user: env.WHM_USER,
        token,
        ca: env.WHM_CA_FILE ? readCa(env.WHM_CA_FILE, 'WHM_CA_FILE') : undefined,
        demo: false,
      },
    ];
  }
  return [];
}
