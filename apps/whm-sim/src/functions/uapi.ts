import {
  formatOtpauthUri,
  SECRET_PATTERN,
  uapiTwoFactorAuthFunctions,
  whmReasons,
  type Account,
  type UapiTwoFactorAuthFunction,
} from '@console/whm-api';
import { canManage, issuerFor } from '../access.js';
import { accountHasFeature } from '../features.js';
import { ROOT } from '../state.js';
import { generateSecret, isValidTotp } from '../totp.js';
import { persist, WhmFailure, type Handler, type HandlerContext } from './handler.js';

const FEATURE = 'twofactorauth';

export interface UapiResult {
  status: 0 | 1;
  data: unknown;
  errors: string[] | null;
  messages: string[] | null;
  warnings: string[] | null;
  metadata: Record<string, never>;
}

function ok(data: unknown): UapiResult {
  return { status: 1, data, errors: null, messages: null, warnings: null, metadata: {} };
}

function failed(error: string): UapiResult {
  return { status: 0, data: null, errors: [error], messages: null, warnings: null, metadata: {} };
}

function isTwoFactorFunction(name: string): name is UapiTwoFactorAuthFunction {
  return (uapiTwoFactorAuthFunctions as readonly string[]).includes(name);
}

async function runTwoFactorAuth(
  fn: UapiTwoFactorAuthFunction,
  user: string,
  context: HandlerContext,
): Promise<UapiResult> {
  const { store, raw, hostname, now } = context;
  const issuer = issuerFor(store, user, hostname);
  switch (fn) {
    case 'get_user_configuration': {
      const enabled = store.state.secrets[user]?.secret !== undefined;
      return ok(enabled ? { is_enabled: 1, issuer } : { is_enabled: 0 });
    }
    case 'generate_user_configuration': {
      const secret = generateSecret();
      return ok({ secret, otpauth_str: formatOtpauthUri(issuer, user, secret) });
    }
    case 'set_user_configuration': {
      const secret = typeof raw.secret === 'string' ? raw.secret : '';
      if (!SECRET_PATTERN.test(secret)) return failed(whmReasons.invalidSecret);
      const token = typeof raw.tfa_token === 'string' ? raw.tfa_token : '';
      if (token === '') return failed(whmReasons.missingParameter('tfa_token'));
      if (!isValidTotp(secret, token, now())) return failed(whmReasons.invalidSecurityCode);
      store.state.secrets[user] = { ...store.state.secrets[user], secret };
      await persist(context, 'Failed to save the two-factor authentication configuration.');
      return ok({ tfa_configured: 1 });
    }
    case 'remove_user_configuration': {
      delete store.state.secrets[user];
      await persist(context, 'Failed to save the two-factor authentication configuration.');
      return ok({ tfa_removed: 1 });
    }
  }
}

/**
 * WHM runs the UAPI function as `cpanel.user`. Params are read from the wire rather than the
 * catalogue, which allows only TwoFactorAuth: other modules still reach UAPI and fail there. WHM's envelope says the call ran (`result: 1`);
 * the UAPI result inside says whether the function worked (`status`, `errors`).
 */
export const uapiCpanel: Handler = async (context) => {
  const { raw, caller, store } = context;
  const user = typeof raw['cpanel.user'] === 'string' ? raw['cpanel.user'] : '';
  const module = typeof raw['cpanel.module'] === 'string' ? raw['cpanel.module'] : '';
  const fn = typeof raw['cpanel.function'] === 'string' ? raw['cpanel.function'] : '';
  if (user === '') throw new WhmFailure(whmReasons.missingParameter('cpanel.user'));
  if (module === '') throw new WhmFailure(whmReasons.missingParameter('cpanel.module'));
  if (fn === '') throw new WhmFailure(whmReasons.missingParameter('cpanel.function'));
  const acct = store.account(user);
  if (user === ROOT || !acct || !canManage(store, caller, user)) {
    throw new WhmFailure(whmReasons.noAccess(user));
  }
  return { data: { uapi: await runUapi(context, acct, module, fn) } };
};

/**
 * UAPI run as `acct`, after WHM has let the caller use it: shared by `uapi_cpanel` and the older
 * `cpanel` bridge. The feature comes from the account's package's feature list.
 */
export async function runUapi(
  context: HandlerContext,
  acct: Account,
  module: string,
  fn: string,
): Promise<UapiResult> {
  if (module !== 'TwoFactorAuth') {
    return failed(`Failed to load module “${module}”: The system could not find the module.`);
  } else if (!isTwoFactorFunction(fn)) {
    return failed(`The “${fn}” function does not exist in the “${module}” module.`);
  } else if (!accountHasFeature(context.store.state, acct, FEATURE)) {
    return failed(whmReasons.missingFeature(FEATURE));
  }
  return runTwoFactorAuth(fn, acct.user, context);
}
