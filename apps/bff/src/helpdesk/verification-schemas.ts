import { USERNAME_PATTERN } from '@console/whm-api';
import { z } from 'zod';
import { safeText } from '../http/schemas.js';

export const sendCodeBody = z.strictObject({
  server: z.string().min(1).max(64),
  user: z.string().regex(USERNAME_PATTERN, 'must be a cPanel user name'),
});
export const checkCodeBody = z.strictObject({
  code: z.string().regex(/^\d{6}$/, 'must be the 6 digits from the message'),
});
export const verificationId = z.string().regex(/^[0-9a-f]{32}$/, 'must be a verification id');

/** How a caller was verified before a removal, as the removal's body says it. */
export const verificationMethods = ['email_code', 'ticket'] as const;
export type VerificationMethod = (typeof verificationMethods)[number];
export const ticketReference = safeText(100).pipe(
  z.string().trim().min(1, 'give the ticket reference'),
);
