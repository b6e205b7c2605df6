import { ISSUER_MAX_LENGTH, ISSUER_PATTERN, normalizeIssuer } from '@console/whm-api/rules';

export type IssuerCheck =
  | { valid: true; value: string; resets: boolean }
  | { valid: false; value: string; problem: string };

/** WHM's own rule: one surrounding quote stripped, then 1 to 32 of [ a-zA-Z0-9._-], or empty. */
export function checkIssuer(raw: string): IssuerCheck {
  const value = normalizeIssuer(raw);
  if (value === '') return { valid: true, value, resets: true };
  // WHM would take it; an authenticator app would list a blank name (the BFF refuses it too).
  if (value.trim() === '') {
    return { valid: false, value, problem: 'Not only spaces: type a name, or leave it empty.' };
  }
  if (ISSUER_PATTERN.test(value)) return { valid: true, value, resets: false };
  if (value.length > ISSUER_MAX_LENGTH) {
    return {
      valid: false,
      value,
      problem: `At most ${ISSUER_MAX_LENGTH} characters: this one has ${value.length}.`,
    };
  }
  const bad = [...new Set(value.replace(/[ a-zA-Z0-9._-]/g, ''))].join(' ');
  return {
    valid: false,
    value,
    problem: `Only letters, digits, spaces, ".", "_" and "-" are allowed (not ${bad}).`,
  };
}
