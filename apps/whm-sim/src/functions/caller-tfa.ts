import { formatOtpauthUri, whmReasons } from '@console/whm-api';
import { issuerFor } from '../access.js';
import { generateSecret, isValidTotp } from '../totp.js';
import { exceptionText } from '../xid.js';
import { persist, WhmFailure, type Handler } from './handler.js';

/** For the caller, whoever the token belongs to; nothing is stored until set_tfa_config. */
export const generateTfaConfig: Handler = ({ caller, store, hostname }) => {
  const secret = generateSecret();
  const issuer = issuerFor(store, caller.user, hostname);
  return { data: { secret, otpauth_str: formatOtpauthUri(issuer, caller.user, secret) } };
};

/** `Cpanel/Security/Authn/TwoFactorAuth/Google.pm` refuses only characters outside base32's letters. */
const SECRET_CHARACTERS = /^[a-zA-Z2-7]*$/;

/**
 * Checks the code against the secret, then overwrites any earlier secret of the caller. A missing
 * or empty secret passes the secret check and then fails the code check, as in WHM.
 */
export const setTfaConfig: Handler = async (context) => {
  const { raw, caller, store, now } = context;
  const secret = typeof raw.secret === 'string' ? raw.secret : '';
  const token = typeof raw.tfa_token === 'string' ? raw.tfa_token : '';
  if (!SECRET_CHARACTERS.test(secret))
    throw new WhmFailure(exceptionText(whmReasons.invalidSecret));
  if (!isValidTotp(secret, token, now())) throw new WhmFailure(whmReasons.invalidSecurityCode);
  store.state.secrets[caller.user] = { ...store.state.secrets[caller.user], secret };
  await persist(context, whmReasons.setUserConfigurationFailed);
  return { data: { success: 1 } };
};
