/**
 * The BFF's rules for a managed server (addServerBody / updateServerBody in
 * apps/bff/src/servers/server-service.ts), checked before sending so a mistake shows at its field.
 * The BFF checks again: its 400 names the field and the form shows that too.
 */
import { checkTags } from '../../../lib/server-tags';

export const SERVER_ID_PATTERN = /^[a-z0-9][a-z0-9_-]{0,31}$/;
export const WHM_USER_PATTERN = /^[a-z][a-z0-9_-]{0,31}$/;
export const TOKEN_PATTERN = /^[A-Za-z0-9]{16,128}$/;
export const LABEL_MAX_LENGTH = 100;
export const CA_MAX_LENGTH = 20_000;
// Control, bidi and line-separator characters (the BFF's audit/unsafe-text.ts).
// eslint-disable-next-line no-control-regex -- these are the characters it refuses
const UNSAFE_TEXT = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]/;

export const SERVER_FIELDS = ['id', 'label', 'url', 'user', 'token', 'ca', 'tags'] as const;
export type ServerField = (typeof SERVER_FIELDS)[number];
export type FieldErrors = Partial<Record<ServerField, string>>;

export interface ServerDraft {
  id: string;
  label: string;
  url: string;
  user: string;
  token: string;
  ca: string;
  tags: string;
}

/** A server id from its label, for the id field until someone types one. */
export function idFromLabel(label: string): string {
  return label
    .toLowerCase()
    .replace(/[^a-z0-9_-]+/g, '-')
    .replace(/^[-_]+|-+$/g, '')
    .slice(0, 32);
}

export function checkUrl(raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return 'Give the WHM URL, such as https://whm.example.com:2087.';
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return 'Must be an http(s) URL, such as https://whm.example.com:2087.';
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    return 'Must be an http(s) URL, such as https://whm.example.com:2087.';
  }
  if (url.pathname !== '/' || url.search || url.hash || url.username || url.password) {
    return 'Only the scheme, host and port, such as https://whm.example.com:2087 (no path).';
  }
  return undefined;
}

export function checkUser(raw: string): string | undefined {
  return WHM_USER_PATTERN.test(raw.trim())
    ? undefined
    : 'A WHM user name: a lower-case letter, then up to 31 of a-z, 0-9, "_", "-".';
}

/** `keep`: editing a stored server, where an empty token keeps the stored one. */
export function checkToken(raw: string, keep: boolean): string | undefined {
  const value = raw.trim();
  if (!value && keep) return undefined;
  if (!value) return 'Give the WHM API token.';
  return TOKEN_PATTERN.test(value) ? undefined : 'A WHM API token is 16 to 128 letters and digits.';
}

export function checkCa(raw: string): string | undefined {
  const value = raw.trim();
  if (!value) return undefined;
  if (value.length > CA_MAX_LENGTH) return `At most ${CA_MAX_LENGTH} characters.`;
  return value.includes('-----BEGIN CERTIFICATE-----')
    ? undefined
    : 'A PEM certificate, starting with -----BEGIN CERTIFICATE-----.';
}

/** Every field's problem; `editing` skips the id (it cannot change) and allows an empty token. */
export function validateServer(draft: ServerDraft, editing: boolean): FieldErrors {
  const label = draft.label.trim();
  const errors: FieldErrors = {
    id:
      editing || SERVER_ID_PATTERN.test(draft.id.trim())
        ? undefined
        : 'An id: 1 to 32 of a-z, 0-9, "_", "-", starting with a letter or digit.',
    label: !label
      ? 'Give the server a label.'
      : label.length > LABEL_MAX_LENGTH
        ? `At most ${LABEL_MAX_LENGTH} characters.`
        : UNSAFE_TEXT.test(label)
          ? 'No control characters.'
          : undefined,
    url: checkUrl(draft.url),
    user: checkUser(draft.user),
    token: checkToken(draft.token, editing),
    ca: checkCa(draft.ca),
    tags: checkTags(draft.tags),
  };
  return Object.fromEntries(Object.entries(errors).filter(([, message]) => message !== undefined));
}

/** The form field a BFF 400 names (`tags.2` is the tags field), if it is one of the form's. */
export function formFieldOf(field: string | undefined): ServerField | undefined {
  const head = field?.split('.')[0];
  return SERVER_FIELDS.find((name) => name === head);
}
