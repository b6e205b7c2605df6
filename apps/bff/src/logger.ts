import { pino, type DestinationStream, type Logger } from 'pino';

/** Keys that never reach a log line, at the top level and one level down. */
const SECRET_KEYS = [
  'authorization',
  'cookie',
  'secret',
  'otpauth_str',
  'otpauthUri',
  'tfa_token',
  'password',
  'currentPassword',
  'newPassword',
  'totp',
  'token',
];

/**
 * Where a TOTP code travels under the name `code` (`POST /api/me/totp/confirm`, `DELETE /api/me/totp`
 * bodies). Not every `code` key: that is also every refusal's error code, which logs must show.
 */
const TOTP_CODE_PATHS = ['body.code', '*.body.code', 'req.body.code'];

/**
 * Few wildcards on purpose: each one is walked on every log line. Deeper places where a secret
 * could sit (headers, WHM answers) are listed explicitly.
 */
export const redactPaths = [
  ...SECRET_KEYS.flatMap((key) => [key, `*.${key}`]),
  ...TOTP_CODE_PATHS,
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
  'headers["set-cookie"]',
  '*.data.secret',
  '*.data.otpauth_str',
  '*.data.tfa_token',
];

export function createLogger(
  options: { level?: string; destination?: DestinationStream } = {},
): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      redact: { paths: redactPaths, censor: '[redacted]' },
      base: { service: 'bff' },
    },
    // Asynchronous writes keep logging off the request path; main.ts flushes on shutdown.
    options.destination ?? pino.destination({ dest: 1, sync: false }),
  );
}

export type { Logger };
