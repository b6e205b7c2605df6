/**
 * Characters that change how text around them is shown or split into lines without being seen:
 * C0 and C1 controls, the bidi embeddings, overrides, isolates and marks (a reason or name can
 * otherwise read backwards in the audit view), and the Unicode line and paragraph separators
 * (a fake second record in a log line). PostgreSQL text cannot hold NUL either.
 */
const UNSAFE = '\\u0000-\\u001f\\u007f-\\u009f\\u061c\\u200e\\u200f\\u2028-\\u202e\\u2066-\\u2069';

/** Matches a string holding any unsafe character (operator input: refuse it with a 400). */
export const UNSAFE_TEXT = new RegExp(`[${UNSAFE}]`);

/** Only safe characters, for zod's `.regex`. */
export const SAFE_TEXT = new RegExp(`^[^${UNSAFE}]*$`);

const UNSAFE_GLOBAL = new RegExp(`[${UNSAFE}]`, 'g');

/** Text from elsewhere (URLs, WHM's answers, error messages): each unsafe character becomes U+FFFD. */
export function neutralise(value: string): string {
  return value.replace(UNSAFE_GLOBAL, '\ufffd');
}
