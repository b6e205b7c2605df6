/**
 * WHM's own input rules and messages, as read from cPanel's server code (see reference/WHM-2FA.md).
 * The simulator enforces them, the BFF validates with them, the SPA previews with them.
 */

/** After one leading and one trailing quote are stripped; empty means "reset to the default". */
export const ISSUER_PATTERN = /^[ a-zA-Z0-9._-]{1,32}$/;
/**
 * WHM's own check, Perl's `$` included: it also matches before one final newline, so WHM takes
 * (and stores) an issuer ending in `\n`. The console sends only what `ISSUER_PATTERN` allows.
 */
export const WHM_ISSUER_PATTERN = /^[ a-zA-Z0-9._-]{1,32}\n?$/;
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

/**
 * Strips one leading and one trailing `'` or `"`, as WHM does before it validates an issuer; the
 * trailing one may sit before a final newline (Perl's `$`).
 */
export function normalizeIssuer(raw: string): string {
  return raw.replace(/^['"]/, '').replace(/['"](?=\n?$)/, '');
}

/** `otpauth://totp/ISSUER:USER?secret=SECRET&issuer=ISSUER`, URI-encoded, no algorithm/digits/period. */
export function formatOtpauthUri(issuer: string, user: string, secret: string): string {
  const label = `${encodeURIComponent(issuer)}:${encodeURIComponent(user)}`;
  return `otpauth://totp/${label}?secret=${encodeURIComponent(secret)}&issuer=${encodeURIComponent(issuer)}`;
}

/**
 * WHM's failure texts, word for word (the curly quotes are WHM's). Texts that WHM builds from a
 * cPanel exception carry a random `(XID xxxxxx) ` where WHM puts it, so they are given here without
 * it: match a reason with `reasonMatches`, never with `===`.
 */
export const whmReasons = {
  ok: 'OK',
  noAccess: (user: string) => `You do not have access to an account named “${user}”.`,
  userNotFound: (user: string) => `You do not have a user named “${user}”.`,
  noUsersSpecified: 'No users specified.',
  /** Followed by the exception text (with its XID) of the access check. */
  notAuthorizedToModify: (user: string) => `You are not authorized to modify “${user}”: `,
  setIssuerFailed: 'Failed to set issuer: ',
  invalidIssuer:
    'The “issuer” parameter must be less than or equal to 32 characters in length. It can only use spaces and the following characters: a-z, A-Z, 0-9, ., _, -',
  invalidSecret: 'Missing or Invalid: “secret”',
  invalidSecurityCode: 'The security code is invalid.',
  setUserConfigurationFailed: 'Failed to set user configuration.',
  enablePolicyFailed: 'Failed to enable the Two-Factor Authentication security policy.',
  disablePolicyFailed: 'Failed to disable Two-Factor Authentication security policy.',
  invalidUser: (user: string) => `Invalid user: ${user}`,
  invalidInput: 'Invalid data detected in input arguments.',
  unknownFunction: (name: string) =>
    `Unknown app (${name}) requested for this version (1) of the API.`,
  missingFeature: (feature: string) => `You do not have the feature “${feature}”.`,
  /** What WHM puts before the text of an error a function did not catch. */
  apiFailure: 'API failure: ',
  /** `perlSub` is the implementing sub, e.g. `Whostmgr::API::1::Cpanel::uapi_cpanel`. */
  missingParameter: (name: string, perlSub: string) =>
    `Provide the “${name}” parameter for the “${perlSub}” function.`,
  emptyParameter: (name: string) => `The value of “${name}” may not be empty.`,
  unknownSearchType: 'Unknown search type.',
  /** listaccts' `result: 0` for an exact user search that finds nobody: an empty list, not a failure. */
  noAccountsFound: 'No accounts found.',
  doAsRoot: 'do_as_user_group may not be called for root.',
  illegalFunctionName: (fn: string) => `Illegal function name: ${fn}`,
  moduleLoadFailed: (module: string) => `Failed to load module “${module}”: `,
  functionNotFound: (fn: string, module: string) =>
    `The system could not find the function “${fn}” in the module “${module}”.`,
  uapiSetFailed: 'Failed to set user configuration: ',
  uapiRemoveFailed: 'Failed to remove user configuration: ',
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

/** The characters of a cPanel exception id: lower-case letters without i, l, o, and digits 2-9. */
export const XID_ALPHABET = 'abcdefghjkmnpqrstuvwxyz23456789';
/** `(XID abc234) ` as `Cpanel/Exception/CORE.pm` writes it, anywhere in a reason. */
export const XID_PATTERN = /\(XID [a-hjkmnp-z2-9]{6}\) /g;

/** A reason without its XIDs: the same failure reads the same on every call. */
export function stripXid(reason: string): string {
  return reason.replace(XID_PATTERN, '');
}

/**
 * Whether a WHM reason says what `fragment` says: XIDs are stripped from both, then the fragment
 * must occur in the reason. The one way the console compares reasons.
 */
export function reasonMatches(reason: string | undefined, fragment: string): boolean {
  if (reason === undefined || fragment === '') return false;
  return stripXid(reason).includes(stripXid(fragment));
}
