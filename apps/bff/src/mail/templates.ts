/**
 * The messages the console sends, in text and HTML. What an account holder reads never carries
 * the operator's reason, a secret or a link of ours: only what happened, when, and what to do.
 */

export interface RenderedMail {
  subject: string;
  text: string;
  html: string;
}

/** What an admin may change in the removal notice (mail settings). */
export interface NoticeWording {
  /** `{account}` and `{host}` are filled in. */
  subject: string;
  /** A short paragraph of the host's own, put before the sign-off (plain text). */
  paragraph: string;
  /** Whom to contact when the holder did not ask for it (an address, a URL or a phone number). */
  contact: string;
}

export const DEFAULT_NOTICE_SUBJECT = 'Two-factor authentication was removed from {account}';
export const NOTICE_SUBJECT_MAX = 150;
export const NOTICE_PARAGRAPH_MAX = 1_000;
export const NOTICE_CONTACT_MAX = 200;

const CPANEL_HOW_TO =
  'Log in to cPanel, open Security › Two-Factor Authentication, choose "Set Up Two-Factor Authentication", scan the code with your authenticator app and enter the code it shows.';

const html = (text: string): string =>
  text.replace(
    /[&<>"']/g,
    (char) =>
      ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[char] ?? char,
  );

const fill = (template: string, values: Record<string, string>): string =>
  template.replace(/\{(account|host)\}/g, (_all, name: string) => values[name] ?? '');

/** Paragraphs to text (blank lines between) and to HTML (escaped `<p>`s). */
function render(subject: string, paragraphs: readonly string[]): RenderedMail {
  const kept = paragraphs.filter((p) => p.trim() !== '');
  return {
    subject,
    text: `${kept.join('\n\n')}\n`,
    html: `<!doctype html><html><body style="font-family:sans-serif;line-height:1.5">${kept
      .map((p) => `<p>${html(p).replace(/\n/g, '<br>')}</p>`)
      .join('')}</body></html>`,
  };
}

const when = (at: number): string =>
  `${new Date(at).toISOString().replace('T', ' ').slice(0, 16)} UTC`;

export function removalNotice(input: {
  account: string;
  domain: string;
  host: string;
  at: number;
  wording: NoticeWording;
}): RenderedMail {
  const { account, domain, host, at, wording } = input;
  const subject = fill(wording.subject || DEFAULT_NOTICE_SUBJECT, { account, host });
  const contact = wording.contact.trim()
    ? `If you did not ask for this, contact ${wording.contact.trim()} at once.`
    : `If you did not ask for this, contact ${host}'s support at once.`;
  return render(subject, [
    `Hello,`,
    `Two-factor authentication was removed from your cPanel account ${account}${domain ? ` (${domain})` : ''} by ${host}'s staff on ${when(at)}. Signing in to cPanel now needs only the password.`,
    `To turn it on again: ${CPANEL_HOW_TO}`,
    contact,
    wording.paragraph,
    `— ${host}`,
  ]);
}

export function verificationCode(input: {
  account: string;
  host: string;
  code: string;
  minutes: number;
}): RenderedMail {
  const { account, host, code, minutes } = input;
  return render(`Your verification code for ${account}: ${code}`, [
    `Hello,`,
    `${host}'s support asked to confirm that they are speaking with the holder of the cPanel account ${account}.`,
    `Your code is ${code}. Read it to the support agent only if you are speaking with them now; it stops working in ${minutes} minutes.`,
    `If you did not contact support, do not share this code with anyone, and tell ${host}.`,
    `— ${host}`,
  ]);
}

export function enrollmentReminder(input: {
  account: string;
  domain: string;
  host: string;
  paragraph?: string;
}): RenderedMail {
  const { account, domain, host } = input;
  return render(`Protect ${account} with two-factor authentication`, [
    `Hello,`,
    `Your cPanel account ${account}${domain ? ` (${domain})` : ''} is protected by a password only. Two-factor authentication asks for a code from your phone as well, so a stolen password is not enough to get in.`,
    `To set it up: ${CPANEL_HOW_TO}`,
    input.paragraph ?? '',
    `— ${host}`,
  ]);
}
