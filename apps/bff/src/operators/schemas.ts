import { z } from 'zod';
import { OPERATOR_NAME_PATTERN, OPERATOR_NAME_RULE } from './operator-service.js';
import { roles } from './operator-store.js';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

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
  localSignInAdminsOnly: z.boolean().optional(),
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
