import { z } from 'zod';
import type { Queryable } from '../db/database.js';
import { SAFE_TEXT } from '../audit/unsafe-text.js';
import { safeText } from '../http/schemas.js';
import {
  DEFAULT_NOTICE_SUBJECT,
  NOTICE_CONTACT_MAX,
  NOTICE_PARAGRAPH_MAX,
  NOTICE_SUBJECT_MAX,
} from './templates.js';

/** How support must have verified a caller before removing an account's 2FA. */
export const callerVerificationModes = ['optional', 'required'] as const;
export type CallerVerificationMode = (typeof callerVerificationModes)[number];

export interface MailSettings {
  /** The removal notice's subject (`{account}`, `{host}` filled in). */
  noticeSubject: string;
  /** A paragraph of the host's own in the notice. */
  noticeParagraph: string;
  /** Whom the holder contacts if they did not ask for the removal. */
  contact: string;
  /** The host's name in every message; empty: the server's 2FA issuer, else its label. */
  hostName: string;
  /** `required`: support removes 2FA only from a caller verified by code or an allowed method. */
  callerVerification: CallerVerificationMode;
  /** Whether "verified in the ticket system" (with the ticket reference) counts as verified. */
  ticketVerification: boolean;
}

export const DEFAULT_MAIL_SETTINGS: MailSettings = {
  noticeSubject: DEFAULT_NOTICE_SUBJECT,
  noticeParagraph: '',
  contact: '',
  hostName: '',
  callerVerification: 'optional',
  ticketVerification: false,
};

// Free text an admin writes into mail: one line for subject, name and contact, a paragraph else.
const line = (max: number) => safeText(max).pipe(z.string().trim());
const paragraph = z
  .string()
  .max(NOTICE_PARAGRAPH_MAX)
  .transform((value) => value.replace(/\r\n?/g, '\n').trim())
  .refine(
    (value) => SAFE_TEXT.test(value.replace(/\n/g, '')),
    'must not contain control characters',
  );
export const mailSettingsBody = z
  .strictObject({
    noticeSubject: line(NOTICE_SUBJECT_MAX).pipe(z.string().min(1, 'must not be empty')),
    noticeParagraph: paragraph,
    contact: line(NOTICE_CONTACT_MAX),
    hostName: line(100),
    callerVerification: z.enum(callerVerificationModes),
    ticketVerification: z.boolean(),
  })
  .partial()
  .refine((value) => Object.keys(value).length > 0, { message: 'give something to change' });

/** Whether going from `before` to `after` makes a reset easier to talk one's way into. */
export function relaxesVerification(before: MailSettings, after: MailSettings): boolean {
  return (
    (before.callerVerification === 'required' && after.callerVerification === 'optional') ||
    (!before.ticketVerification && after.ticketVerification)
  );
}

/** The mail settings row (`settings`, key `mail`). */
export class MailSettingsStore {
  constructor(private readonly db: Queryable) {}

  async get(): Promise<MailSettings> {
    const rows = await this.db.query<{ value: string }>(
      "SELECT value FROM settings WHERE key = 'mail'",
    );
    const stored = rows[0] ? (JSON.parse(rows[0].value) as Partial<MailSettings>) : {};
    return { ...DEFAULT_MAIL_SETTINGS, ...stored };
  }

  async set(value: MailSettings): Promise<MailSettings> {
    await this.db.query(
      `INSERT INTO settings (key, value) VALUES ('mail', $1)
       ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
      [JSON.stringify(value)],
    );
    return value;
  }
}
