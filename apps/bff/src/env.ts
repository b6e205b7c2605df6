import { z } from 'zod';

const port = z.coerce.number().int().min(0).max(65_535);
const positiveInt = z.coerce.number().int().positive();
const optionalText = z
  .string()
  .optional()
  .transform((value) => (value === undefined || value === '' ? undefined : value));

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
  CONSOLE_DEMO_PASSWORD: z.string().min(1).max(256).default('demo'),
  WEB_DIST_DIR: optionalText,
  /** The audit chain's HMAC key (SECURITY.md 28); demo mode makes DATA_DIR/audit.key itself. */
  AUDIT_KEY_FILE: optionalText,
  /** Turns `GET /metrics` on; scrapers send `Authorization: Bearer <this>` (docs/metrics.md). */
  METRICS_TOKEN: optionalText.pipe(
    z.string().min(16, 'must be at least 16 characters').max(256).optional(),
  ),
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
  if (isDemoMode(env) && !isLoopbackHost(env.HOST)) {
    throw new EnvError('HOST', 'demo mode (no WHM configured) only binds to a loopback address');
  }
  return env;
}

export function isDemoMode(env: Pick<Env, 'WHM_URL' | 'WHM_SERVERS_FILE'>): boolean {
  return !env.WHM_URL && !env.WHM_SERVERS_FILE;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(\.\d{1,3}){3}$/.test(host);
}
