import { z } from 'zod';
import { auditKinds, auditOutcomes, type AuditKind } from '../audit/audit-log.js';
import { SAFE_TEXT } from '../audit/unsafe-text.js';
import { roles } from '../operators/operator-store.js';
import { OPERATOR_NAME_PATTERN, OPERATOR_NAME_RULE } from '../operators/operator-service.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../operators/passwords.js';
import { errors } from '../errors.js';

/** Text without control, bidi or line-separator characters (audit/unsafe-text.ts). */
const text = (max: number) =>
  z.string().max(max).regex(SAFE_TEXT, 'must not contain control characters');

export const loginBody = z.strictObject({
  username: text(64).min(1),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  totp: z.string().max(16).optional(),
});

export const stepUpBody = z.union([
  z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
  z.strictObject({ totp: z.string().min(1).max(16) }),
]);

const newPassword = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

export const createOperatorBody = z.strictObject({
  username: z.string().regex(OPERATOR_NAME_PATTERN, OPERATOR_NAME_RULE),
  password: newPassword,
  role: z.enum(roles),
});

export const patchOperatorBody = z
  .strictObject({ role: z.enum(roles).optional(), disabled: z.boolean().optional() })
  .refine((value) => value.role !== undefined || value.disabled !== undefined, {
    message: 'give role or disabled',
  });

export const settingsBody = z.strictObject({
  requireOperatorTotp: z.boolean(),
  totpGraceDays: z.number().int().min(0).max(90).optional(),
});

export const resetPasswordBody = z.strictObject({ password: newPassword });

/** The id My account's session list gives each session. */
export const ownSessionId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a session id');

export const changePasswordBody = z.strictObject({
  currentPassword: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  newPassword,
});

export const codeBody = z.strictObject({ code: z.string().min(1).max(16) });

export const operatorId = z.coerce.number().int().positive().max(2_147_483_647);

const isoTime = z
  .string()
  .max(40)
  .refine((value) => !Number.isNaN(Date.parse(value)), 'must be an ISO 8601 time')
  .transform((value) => Date.parse(value));

export const auditQuery = z.strictObject({
  operator: text(64).optional(),
  function: text(100).optional(),
  outcome: z.enum(auditOutcomes).optional(),
  kind: z
    .string()
    .max(100)
    .refine(
      (value) => value.split(',').every((kind) => (auditKinds as readonly string[]).includes(kind)),
      `must be a comma-separated list of ${auditKinds.join(', ')}`,
    )
    .transform((value) => [...new Set(value.split(','))] as AuditKind[])
    .optional(),
  target: text(64).optional(),
  from: isoTime.optional(),
  to: isoTime.optional(),
  before: z.coerce.number().int().positive().optional(),
  limit: z.coerce.number().int().min(1).max(500).default(100),
});

export const auditCsvQuery = auditQuery.extend({
  limit: z.coerce.number().int().min(1).max(50_000).default(10_000),
});

/** Validates with a zod schema; the first issue becomes a 400 naming the field. */
export function parseWith<S extends z.ZodType>(schema: S, value: unknown): z.output<S> {
  const result = schema.safeParse(value);
  if (!result.success) {
    const issue = result.error.issues[0];
    const field = issue?.path.length ? issue.path.map(String).join('.') : 'body';
    const message =
      issue?.code === 'unrecognized_keys'
        ? `unknown field ${issue.keys.join(', ')}`
        : `${field}: ${issue?.message ?? 'invalid'}`;
    throw errors.invalidParams(
      issue?.code === 'unrecognized_keys' ? (issue.keys[0] ?? field) : field,
      message,
    );
  }
  return result.data;
}

/** A raw query string as entries, refusing repeated keys. */
export function queryObject(rawQuery: string): Record<string, string> {
  const result: Record<string, string> = Object.create(null) as Record<string, string>;
  for (const [key, value] of new URLSearchParams(rawQuery)) {
    if (key in result) throw errors.invalidParams(key, `${key} is repeated`);
    result[key] = value;
  }
  return { ...result };
}
