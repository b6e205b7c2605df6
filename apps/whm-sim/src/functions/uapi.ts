import {
  formatOtpauthUri,
  uapiTwoFactorAuthFunctions,
  whmReasons,
  type Account,
  type UapiTwoFactorAuthFunction,
} from '@console/whm-api';
import { accessError, issuerFor } from '../access.js';
import { accountHasFeature } from '../features.js';
import { ROOT } from '../state.js';
import { generateSecret, isValidTotp } from '../totp.js';
import { exceptionText } from '../xid.js';
import { removePrimarySecret } from './user-configs.js';
import {
  apiFailure,
  requiredArgument,
  WhmFailure,
  type Handler,
  type HandlerContext,
} from './handler.js';

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

/** UAPI's own function, beside the contract's: the console never calls it. */
const TEAM_FUNCTION = 'get_team_user_configuration';
type SimUapiFunction = UapiTwoFactorAuthFunction | typeof TEAM_FUNCTION;

function isTwoFactorFunction(name: string): name is SimUapiFunction {
  return name === TEAM_FUNCTION || (uapiTwoFactorAuthFunctions as readonly string[]).includes(name);
}

const UAPI_CPANEL_SUB = 'Whostmgr::API::1::Cpanel::uapi_cpanel';
const DO_AS_ROOT =
  `${whmReasons.apiFailure}${whmReasons.doAsRoot} at /usr/local/cpanel/Cpanel/AccessIds.pm line 58.\n` +
  '\tCpanel::AccessIds::do_as_user_group("root", "root", CODE(0x55d5c0ffee30)) called at /usr/local/cpanel/Whostmgr/API/1/Cpanel.pm line 73\n' +
  '\tWhostmgr::API::1::Cpanel::uapi_cpanel(HASH(0x55d5c0ffee40), Whostmgr::API::1::Utils::Metadata=HASH(0x55d5c0ffee50)) called at /usr/local/cpanel/Whostmgr/API/1/Data/Wrapper.pm line 241\n';

function configuration(context: HandlerContext, key: string, issuer: string): UapiResult {
  const enabled = context.store.state.secrets[key]?.secret !== undefined;
  return ok(enabled ? { is_enabled: 1, issuer } : { is_enabled: 0 });
}

async function runTwoFactorAuth(
  fn: SimUapiFunction,
  user: string,
  context: HandlerContext,
): Promise<UapiResult> {
  const { store, raw, hostname, now } = context;
  const issuer = issuerFor(store, user, hostname);
  switch (fn) {
    case 'get_user_configuration':
      return configuration(context, user, issuer);
    case TEAM_FUNCTION: {
      const teamUser = typeof raw.team_user === 'string' ? raw.team_user : '';
      if (teamUser === '') return failed('Provide the “team_user” parameter.');
      const team = store.state.secrets[user]?.team?.[`${teamUser}@${user}`];
      return ok(team ? { is_enabled: 1, issuer } : { is_enabled: 0 });
    }
    case 'generate_user_configuration': {
      const secret = generateSecret();
      return ok({ secret, otpauth_str: formatOtpauthUri(issuer, user, secret) });
    }
    case 'set_user_configuration': {
      // UAPI calls WHM's set_tfa_config for the account and wraps its reason, XID and all.
      const secret = typeof raw.secret === 'string' ? raw.secret : '';
      const token = typeof raw.tfa_token === 'string' ? raw.tfa_token : '';
      if (!/^[a-zA-Z2-7]*$/.test(secret)) {
        return failed(`${whmReasons.uapiSetFailed}${exceptionText(whmReasons.invalidSecret)}`);
      }
      if (!isValidTotp(secret, token, now())) {
        return failed(`${whmReasons.uapiSetFailed}${whmReasons.invalidSecurityCode}`);
      }
      store.state.secrets[user] = { ...store.state.secrets[user], secret };
      try {
        await store.commit();
      } catch {
        return failed(`${whmReasons.uapiSetFailed}${whmReasons.setUserConfigurationFailed}`);
      }
      return ok({ tfa_configured: 1 });
    }
    case 'remove_user_configuration': {
      removePrimarySecret(store.state.secrets, user);
      try {
        await store.commit();
      } catch {
        return failed(
          `${whmReasons.uapiRemoveFailed}Failed to remove two-factor authentication: ${exceptionText('The system failed to save the two-factor authentication data to disk.')}`,
        );
      }
      return ok({ tfa_removed: 1 });
    }
  }
}

/**
 * WHM runs the UAPI function as `cpanel.user` (`Whostmgr/API/1/Cpanel.pm`): required params in
 * order, the account access check, the switch to the account (which refuses root), then UAPI.
 * WHM's envelope says the call ran (`result: 1`); `data.uapi` says whether the function worked.
 */
export const uapiCpanel: Handler = async (context) => {
  const { raw, caller, store } = context;
  const user = requiredArgument(raw, 'cpanel.user', UAPI_CPANEL_SUB);
  const module = requiredArgument(raw, 'cpanel.module', UAPI_CPANEL_SUB);
  const fn = requiredArgument(raw, 'cpanel.function', UAPI_CPANEL_SUB);
  const denied = accessError(store, caller, user);
  if (denied !== undefined) throw apiFailure(denied);
  if (user === ROOT) throw new WhmFailure(DO_AS_ROOT);
  const acct = store.account(user);
  if (!acct) throw apiFailure(whmReasons.userNotFound(user));
  return { data: { uapi: await runUapi(context, acct, module, fn) } };
};

/**
 * UAPI run as `acct`, after WHM has let the caller use it: shared by `uapi_cpanel` and the older
 * `cpanel` bridge. `Cpanel/API.pm` execute, in its order: the function name's sanity check, the
 * module, the module's feature (from the account's package's feature list; so an unknown function
 * of a module the account lacks reads as the feature), then the function itself. No XID in these.
 */
export async function runUapi(
  context: HandlerContext,
  acct: Account,
  module: string,
  fn: string,
): Promise<UapiResult> {
  if (fn.startsWith('_') || !/^[A-Za-z0-9_]+$/.test(fn)) {
    return failed(whmReasons.illegalFunctionName(fn));
  }
  if (module !== 'TwoFactorAuth') {
    return failed(
      `${whmReasons.moduleLoadFailed(module)}Can't locate Cpanel/API/${module}.pm in @INC (you may need to install the Cpanel::API::${module} module).`,
    );
  }
  if (!accountHasFeature(context.store.state, acct, FEATURE)) {
    return failed(whmReasons.missingFeature(FEATURE));
  }
  if (!isTwoFactorFunction(fn)) return failed(whmReasons.functionNotFound(fn, module));
  return runTwoFactorAuth(fn, acct.user, context);
}
