export type ErrorCode =
  | 'unauthenticated'
  | 'session_expired'
  | 'invalid_credentials'
  | 'totp_required'
  | 'totp_enrollment_required'
  | 'totp_enrollment_expired'
  | 'step_up_required'
  | 'csrf_required'
  | 'forbidden'
  | 'unknown_function'
  | 'unknown_server'
  | 'not_found'
  | 'method_not_allowed'
  | 'invalid_params'
  | 'payload_too_large'
  | 'rate_limited'
  | 'conflict'
  | 'sso_required'
  | 'setup_token_invalid'
  | 'setup_token_expired'
  | 'mail_off'
  | 'no_contact_email'
  | 'verification_required'
  | 'verification_invalid'
  | 'wrong_code'
  | 'code_expired'
  | 'too_many_tries'
  | 'whm_refused'
  | 'upstream_unavailable'
  | 'upstream_timeout'
  | 'internal';

const statusOf: Record<ErrorCode, number> = {
  unauthenticated: 401,
  session_expired: 401,
  invalid_credentials: 401,
  totp_required: 401,
  totp_enrollment_required: 403,
  totp_enrollment_expired: 403,
  step_up_required: 401,
  csrf_required: 403,
  forbidden: 403,
  unknown_function: 404,
  unknown_server: 404,
  not_found: 404,
  method_not_allowed: 405,
  invalid_params: 400,
  payload_too_large: 413,
  rate_limited: 429,
  conflict: 409,
  sso_required: 403,
  setup_token_invalid: 403,
  setup_token_expired: 410,
  mail_off: 409,
  no_contact_email: 409,
  verification_required: 403,
  verification_invalid: 403,
  wrong_code: 400,
  code_expired: 410,
  too_many_tries: 429,
  whm_refused: 422,
  upstream_unavailable: 502,
  upstream_timeout: 504,
  internal: 500,
};

export interface AppErrorOptions {
  field?: string;
  /** Logged, never sent to the client. */
  logInfo?: Record<string, unknown>;
  retryAfterSeconds?: number;
  cause?: unknown;
}

/** Every error the BFF answers with: a stable `code` the SPA branches on, and a status. */
export class AppError extends Error {
  override readonly name = 'AppError';
  readonly statusCode: number;
  readonly field: string | undefined;
  readonly logInfo: Record<string, unknown> | undefined;
  readonly retryAfterSeconds: number | undefined;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options: AppErrorOptions = {},
  ) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.statusCode = statusOf[code];
    this.field = options.field;
    this.logInfo = options.logInfo;
    this.retryAfterSeconds = options.retryAfterSeconds;
  }
}

export const errors = {
  unauthenticated: () => new AppError('unauthenticated', 'Sign in first.'),
  sessionExpired: () => new AppError('session_expired', 'The session expired; sign in again.'),
  /** The default says nothing about which part was wrong (SECURITY 10: the first sign-in step). */
  invalidCredentials: (message = 'The username, password or code is wrong.') =>
    new AppError('invalid_credentials', message),
  forbidden: (message = 'Your role may not do this.') => new AppError('forbidden', message),
  invalidParams: (field: string, message: string) =>
    new AppError('invalid_params', message, { field }),
  notFound: () => new AppError('not_found', 'No such path.'),
  csrf: (message: string) => new AppError('csrf_required', message),
  stepUp: () =>
    new AppError('step_up_required', 'Confirm with your password or a fresh code first.'),
  rateLimited: (retryAfterSeconds: number) =>
    new AppError('rate_limited', 'Too many attempts; try again later.', { retryAfterSeconds }),
};
