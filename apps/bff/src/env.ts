import { z } from 'zod';
import { roles, type Role } from './operators/operator-store.js';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

const flag = z
  .enum(['', '0', '1', 'true', 'false'], { message: 'must be 1 or 0' })
  .default('')
  .transform((value) => value === '1' || value === 'true');

const envSchema = z.object({
  NODE_ENV: z.enum(['development', 'production', 'test']).default('production'),
  HOST: z.string().min(1).default('127.0.0.1'),
  PORT: port.default(8080),
  DATA_DIR: z.string().min(1).default('./.data'),
  DATABASE_URL: optionalText.pipe(z.url({ protocol: /^postgres(ql)?$/ }).optional()),
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Number of reverse proxies in front of the BFF whose X-Forwarded-For is trusted; never `true`. */
  TRUST_PROXY_HOPS: z.coerce.number().int().min(0).max(10).default(0),
  SESSION_IDLE_MINUTES: positiveInt.max(24 * 60).default(30),
  SESSION_ABSOLUTE_HOURS: positiveInt.max(7 * 24).default(12),
  WHM_SERVERS_FILE: optionalText,
  WHM_URL: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  WHM_USER: optionalText.pipe(
    z
      .string()
      .regex(/^[a-z][a-z0-9_-]{0,31}$/)
      .optional(),
  ),
  WHM_TOKEN: optionalText,
  WHM_TOKEN_FILE: optionalText,
  WHM_CA_FILE: optionalText,
  WHM_LABEL: optionalText,
  WHM_TIMEOUT_MS: positiveInt.max(120_000).default(10_000),
  /**
   * How long a browser may take to send a whole request (headers and body); a stalled one is
   * answered 408 and closed. Unset: the larger of 30 s and three WHM timeouts.
   */
  REQUEST_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(600_000).optional(),
  WHM_MAX_SOCKETS: positiveInt.max(1024).default(64),
  WHM_SIM_PORT: port.default(2087),
  WHM_SIM_TOKEN: optionalText,
  WHM_SIM_ACCOUNTS: z.coerce.number().int().min(0).max(100_000).default(200),
  WHM_SIM_LATENCY_MS: z.coerce.number().int().min(0).max(60_000).default(0),
  /** Demo mode's fleet: the first on WHM_SIM_PORT, the others on free ports (docs/fleet.md). */
  WHM_SIM_SERVERS: z.coerce.number().int().min(1).max(20).default(5),
  CONSOLE_DEMO_PASSWORD: z.string().min(1).max(256).default('demo'),
  WEB_DIST_DIR: optionalText,
  /** The audit chain's HMAC key (SECURITY.md 28); demo mode makes DATA_DIR/audit.key itself. */
  AUDIT_KEY_FILE: optionalText,
  /** The key (≥ 32 characters) WHM tokens stored in the console are encrypted under (docs/servers.md). */
  CONSOLE_SECRET_KEY_FILE: optionalText,
  /** Turns `GET /metrics` on; scrapers send `Authorization: Bearer <this>` (docs/metrics.md). */
  METRICS_TOKEN: optionalText.pipe(
    z.string().min(16, 'must be at least 16 characters').max(256).optional(),
  ),
  /** How often the fleet refresher reads every server, and how many at once (docs/fleet.md). */
  FLEET_REFRESH_MINUTES: z.coerce
    .number()
    .int()
    .min(1)
    .max(24 * 60)
    .default(15),
  FLEET_CONCURRENCY: z.coerce.number().int().min(1).max(64).default(8),
  /** A hosted demo prospects can open (docs/demo.md): any address, random passwords, resets. */
  DEMO_PUBLIC: flag,
  /** In a hosted demo, the sign-in page lists the demo operators and their passwords. */
  DEMO_SHOW_SIGNINS: flag,
  DEMO_RESET_MINUTES: z.coerce.number().int().min(5).max(1440).default(60),
  /** Operator single sign-on (docs/deploy.md "Single sign-on"): the provider's issuer URL turns it on. */
  OIDC_ISSUER: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  OIDC_CLIENT_ID: optionalText,
  OIDC_CLIENT_SECRET: optionalText,
  OIDC_CLIENT_SECRET_FILE: optionalText,
  /** Where the provider sends the browser back: the console's public URL + /api/sso/callback. */
  OIDC_REDIRECT_URI: optionalText.pipe(z.url({ protocol: /^https?$/ }).optional()),
  /** The ID token claim that lists the person's groups. */
  OIDC_ROLE_CLAIM: z.string().min(1).max(100).default('groups'),
  /** Which group gives which role: `group=role,…`; the highest role a person's groups give wins. */
  OIDC_ROLE_MAP: optionalText,
  /** The sign-in button's text: "Sign in with <this>". */
  OIDC_LABEL: z.string().min(1).max(60).default('single sign-on'),
  /**
   * Mail to account holders (docs/mail.md): `smtp://` (STARTTLS when offered) or `smtps://`
   * (TLS from the start), with `user:password@` when the server wants them. Unset: no mail.
   */
  SMTP_URL: optionalText.pipe(
    z.url({ protocol: /^smtps?$/, message: 'must be smtp:// or smtps://' }).optional(),
  ),
  /** The From of every message: `support@example.com` or `Example Hosting <support@example.com>`. */
  SMTP_FROM: optionalText.pipe(
    z
      .string()
      .max(200)
      .regex(
        /^(?:[^<>\r\n]*<[^<>\s@]+@[^<>\s@]+>|[^<>\s@]+@[^<>\s@]+)$/,
        'must be an address, optionally as Name <address>',
      )
      .optional(),
  ),
  /** Messages handed to the mail server per minute at most (a bulk removal sends one per account). */
  MAIL_RATE_PER_MINUTE: z.coerce.number().int().min(1).max(10_000).default(120),
});

export type Env = z.output<typeof envSchema>;

export class EnvError extends Error {
  override readonly name = 'EnvError';
  constructor(
    readonly variable: string,
    message: string,
  ) {
    super(`invalid environment variable ${variable}: ${message}`);
  }
}

/** Parses the environment once; a bad value throws an `EnvError` naming the variable. */
export function parseEnv(source: Record<string, string | undefined> = process.env): Env {
  const result = envSchema.safeParse(source);
  if (!result.success) {
    const issue = result.error.issues[0];
    throw new EnvError(String(issue?.path[0] ?? 'environment'), issue?.message ?? 'invalid');
  }
  const env = result.data;
  if (env.WHM_TOKEN && env.WHM_TOKEN_FILE) {
    throw new EnvError('WHM_TOKEN_FILE', 'set either WHM_TOKEN or WHM_TOKEN_FILE, not both');
  }
  if (env.WHM_URL && !env.WHM_USER) {
    throw new EnvError('WHM_USER', 'required with WHM_URL');
  }
  if (env.WHM_URL && !env.WHM_TOKEN && !env.WHM_TOKEN_FILE) {
    throw new EnvError('WHM_TOKEN', 'WHM_URL needs WHM_TOKEN or WHM_TOKEN_FILE');
  }
  if (env.WHM_URL && env.WHM_SERVERS_FILE) {
    throw new EnvError('WHM_SERVERS_FILE', 'set either WHM_SERVERS_FILE or WHM_URL, not both');
  }
  if (env.OIDC_ISSUER) {
    if (!env.OIDC_CLIENT_ID) throw new EnvError('OIDC_CLIENT_ID', 'required with OIDC_ISSUER');
    if (!env.OIDC_REDIRECT_URI) {
      throw new EnvError(
        'OIDC_REDIRECT_URI',
        'required with OIDC_ISSUER: the console address + /api/sso/callback',
      );
    }
    for (const name of ['OIDC_ISSUER', 'OIDC_REDIRECT_URI'] as const) {
      const url = new URL(env[name] ?? '');
      if (url.protocol !== 'https:' && !isLoopbackHost(url.hostname.replace(/^\[|\]$/g, ''))) {
        throw new EnvError(name, 'must be https:// (plain http only on this machine)');
      }
    }
    if (!env.OIDC_ROLE_MAP) {
      throw new EnvError(
        'OIDC_ROLE_MAP',
        'required with OIDC_ISSUER, e.g. it-admins=admin,helpdesk=support',
      );
    }
    parseRoleMap(env.OIDC_ROLE_MAP);
    if (env.OIDC_CLIENT_SECRET && env.OIDC_CLIENT_SECRET_FILE) {
      throw new EnvError(
        'OIDC_CLIENT_SECRET_FILE',
        'set either OIDC_CLIENT_SECRET or OIDC_CLIENT_SECRET_FILE, not both',
      );
    }
  } else {
    for (const name of [
      'OIDC_CLIENT_ID',
      'OIDC_CLIENT_SECRET',
      'OIDC_CLIENT_SECRET_FILE',
      'OIDC_REDIRECT_URI',
      'OIDC_ROLE_MAP',
    ] as const) {
      if (env[name])
        throw new EnvError(name, 'needs OIDC_ISSUER (single sign-on is off without it)');
    }
  }
  if (env.SMTP_URL && !env.SMTP_FROM) {
    throw new EnvError(
      'SMTP_FROM',
      'required with SMTP_URL, e.g. Example Hosting <support@example.com>',
    );
  }
  if (!env.SMTP_URL && env.SMTP_FROM) throw new EnvError('SMTP_FROM', 'needs SMTP_URL');
  if (isDemoMode(env) && env.SMTP_URL) {
    // The simulated accounts' addresses are made up but look real: demo mail stays in the catcher.
    throw new EnvError('SMTP_URL', 'not in demo mode (demo mail goes to the built-in catcher)');
  }
  if (env.DEMO_PUBLIC) {
    // Simulated servers only, nothing kept, no shared password anyone could know.
    for (const name of [
      'WHM_URL',
      'WHM_SERVERS_FILE',
      'DATABASE_URL',
      'CONSOLE_DEMO_PASSWORD',
    ] as const) {
      if (source[name])
        throw new EnvError(
          name,
          'not with DEMO_PUBLIC (a hosted demo runs simulated servers only)',
        );
    }
    if (env.OIDC_ISSUER) throw new EnvError('OIDC_ISSUER', 'not with DEMO_PUBLIC');
  } else {
    for (const name of ['DEMO_SHOW_SIGNINS', 'DEMO_RESET_MINUTES'] as const) {
      if (source[name]) throw new EnvError(name, 'needs DEMO_PUBLIC=1');
    }
  }
  if (isDemoMode(env) && !env.DEMO_PUBLIC && !isLoopbackHost(env.HOST)) {
    throw new EnvError(
      'HOST',
      'demo mode (no WHM configured) only binds to a loopback address; a hosted demo needs DEMO_PUBLIC=1',
    );
  }
  return env;
}

/** `OIDC_ROLE_MAP` (`group=role,…`) as a map; throws an `EnvError` naming the bad entry. */
export function parseRoleMap(text: string): Map<string, Role> {
  const map = new Map<string, Role>();
  for (const entry of text.split(',')) {
    const trimmed = entry.trim();
    if (trimmed === '') continue;
    const eq = trimmed.lastIndexOf('=');
    const group = eq === -1 ? '' : trimmed.slice(0, eq).trim();
    const role = eq === -1 ? '' : trimmed.slice(eq + 1).trim();
    if (group === '' || !(roles as readonly string[]).includes(role)) {
      throw new EnvError(
        'OIDC_ROLE_MAP',
        `"${trimmed.slice(0, 80)}" is not group=admin, group=support or group=viewer`,
      );
    }
    if (map.has(group)) throw new EnvError('OIDC_ROLE_MAP', `group "${group.slice(0, 80)}" twice`);
    map.set(group, role as Role);
  }
  if (map.size === 0) throw new EnvError('OIDC_ROLE_MAP', 'maps no group to a role');
  return map;
}

export function isDemoMode(env: Pick<Env, 'WHM_URL' | 'WHM_SERVERS_FILE'>): boolean {
  return !env.WHM_URL && !env.WHM_SERVERS_FILE;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
