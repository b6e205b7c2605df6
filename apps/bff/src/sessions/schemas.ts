import { z } from 'zod';
import { safeText } from '../http/schemas.js';
import { PASSWORD_MAX_LENGTH } from '../operators/passwords.js';

export const loginBody = z.strictObject({
  username: safeText(64).min(1),
  password: z.string().min(1).max(PASSWORD_MAX_LENGTH),
  totp: z.string().max(16).optional(),
});

export const stepUpBody = z.union([
  z.strictObject({ password: z.string().min(1).max(PASSWORD_MAX_LENGTH) }),
  z.strictObject({ totp: z.string().min(1).max(16) }),
]);
