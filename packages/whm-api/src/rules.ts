/**
 * WHM's own input rules and messages, as read from cPanel's server code (see reference/WHM-2FA.md).
 * The simulator enforces them, the BFF validates with them, the SPA previews with them.
 */

/** After one leading and one trailing quote are stripped; empty means "reset to the default". */
export const ISSUER_PATTERN = /^[ a-zA-Z0-9._-]{1,32}$/;
export const ISSUER_MAX_LENGTH = 32;

/** What `twofactorauth_set_tfa_config` accepts as a secret: base32 letters, any case, no padding. */
export const SECRET_PATTERN = /^[a-zA-Z2-7]+$/;
/** What `twofactorauth_generate_tfa_config` produces. */
export const GENERATED_SECRET_PATTERN = /^[A-Z2-7]{16}$/;
export const GENERATED_SECRET_LENGTH = 16;

/** cPanel account names: lowercase letters and digits, a letter first, at most 16 characters. */
export const USERNAME_PATTERN = /^[a-z][a-z0-9]{0,15}$/;

export const TOTP = { digits: 6, periodSeconds: 30, algorithm: 'SHA1', window: 1 } as const;
export const TFA_TOKEN_PATTERN = /^\d{6}$/;

/** A repeated parameter: `user`, `user-0`, `user-1`, ... */
export const MULTI_PARAM_PATTERN = /^([a-z_]+)(?:-(\d+))?$/;

/** Strips one leading and one trailing `'` or `"`, as WHM does before it validates an issuer. */
export function normalizeIssuer(raw: string): string {
  return raw.replace(/^['"]/, '').replace(/['"]$/, '');
}

/** `otpauth://totp/ISSUER:USER?secret=SECRET&issuer=ISSUER`, URI-encoded, no algorithm/digits/period. */
export function formatOtpauthUri(issuer: string, user: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(user)}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}`;
}

/** WHM's failure reasons, word for word (the curly quotes are WHM's). */
export const whmReasons = {
  ok: 'OK',
  noAccess: (user: string) => `You do not have access to an account named “${user}”.`,
  noUsersSpecified: 'No users specified.',
  notAuthorizedToModify: (user: string) =>
    `You are not authorized to modify “${user}”: You do not have a user named “${user}”.`,
  invalidIssuer:
    'Failed to set issuer: The “issuer” parameter must be less than or equal to 32 characters in length. It can only use spaces and the following characters: a-z, A-Z, 0-9, ., _, -',
  invalidSecret: 'Missing or Invalid: “secret”',
  invalidSecurityCode: 'The security code is invalid.',
  enablePolicyFailed: 'Failed to enable the Two-Factor Authentication security policy.',
  disablePolicyFailed: 'Failed to disable Two-Factor Authentication security policy.',
  invalidUser: (user: string) => `Invalid user: ${user}`,
  unknownFunction: (name: string) =>
    `Unknown app (${name}) requested for this version (1) of the API.`,
  missingFeature: (feature: string) => `You do not have the feature “${feature}”.`,
  missingParameter: (name: string) => `Missing or Invalid: “${name}”`,
} as const;

/** The older `cpanel` bridge's own refusals (reference/WHM-2FA.md, "The older bridge"). */
export const bridgeReasons = {
  invalidUser: 'User parameter is invalid or was not supplied',
  /** Inferred: the dispatcher is compiled; these name what is missing rather than quote WHM. */
  missingParameter: (name: string) => `The “${name}” parameter is required.`,
  unsupportedApiVersion: (version: string) =>
    `cpanel_jsonapi_apiversion “${version}” is not supported here: only 3 (UAPI) is.`,
} as const;

/** `get_featurelist_data`'s own reasons (`Whostmgr/API/1/FeatureLists.pm`; straight quotes, as there). */
export const featureListReasons = {
  noName: 'No featurelist name specified.',
  noAccess: (name: string) => `Unable to access featurelist specified: "${name}"`,
  notFound: (name: string) => `Specified featurelist does not exist: "${name}"`,
} as const;

/**
 * Whether a feature is available on a feature list, from `get_featurelist_data`'s row for it: on
 * when the list says `1` and the `disabled` list does not name it. A feature the server does not
 * know (no row) is taken as on, as cPanel treats a feature no list mentions.
 */
export function featureAvailable(
  row: { is_disabled: number; value: string | number } | undefined,
): boolean {
  return row === undefined || (String(row.value) === '1' && row.is_disabled === 0);
}
