import { USERNAME_PATTERN } from '@console/whm-api';
import { z } from 'zod';
import { safeText } from '../http/schemas.js';

/**
 * Whom a reminder goes to: some servers (by id, or all with a tag; neither: every server the
 * operator may use), optionally only the accounts of one owner or on one package.
 */
export const reminderFilterBody = z
  .strictObject({
    servers: z
      .array(safeText(64).pipe(z.string().min(1)))
      .min(1)
      .max(500)
      .optional(),
    tag: safeText(64).pipe(z.string().trim().min(1)).optional(),
    owner: z.string().regex(USERNAME_PATTERN, 'must be a WHM user name').optional(),
    plan: safeText(64).pipe(z.string().trim().min(1)).optional(),
  })
  .refine((value) => !(value.servers && value.tag), {
    message: 'give servers or a tag, not both',
    path: ['tag'],
  });

export type ReminderFilter = z.output<typeof reminderFilterBody>;
