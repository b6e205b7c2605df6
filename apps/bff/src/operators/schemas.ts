import { z } from 'zod';
import { OPERATOR_NAME_PATTERN, OPERATOR_NAME_RULE } from './operator-service.js';
import { roles } from './operator-store.js';
import { SERVER_TAG_PATTERN } from '../whm/servers.js';

/** The servers an operator may use, by tag; null (or absent at creation) for every server. */
const serverTags = z
  .array(z.string().regex(SERVER_TAG_PATTERN, 'a tag is 1 to 32 of a-z, 0-9, ".", "_", "-"'))
  .min(1, 'give at least one tag, or null for every server')
  .max(20)
  .nullable();
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from './passwords.js';

const newPassword = z.string().min(PASSWORD_MIN_LENGTH).max(PASSWORD_MAX_LENGTH);

export const createOperatorBody = z.strictObject({
  username: z.string().regex(OPERATOR_NAME_PATTERN, OPERATOR_NAME_RULE),
  password: newPassword,
  role: z.enum(roles),
  serverTags: serverTags.optional(),
});

export const patchOperatorBody = z
  .strictObject({
    role: z.enum(roles).optional(),
    disabled: z.boolean().optional(),
    serverTags: serverTags.optional(),
  })
  .refine(
    (value) =>
      value.role !== undefined || value.disabled !== undefined || value.serverTags !== undefined,
    { message: 'give role, disabled or serverTags' },
  );

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
