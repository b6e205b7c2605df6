import { formatOtpauthUri, whmReasons } from '@console/whm-api';
import { issuerFor } from '../access.js';
import { generateSecret, isValidTotp } from '../totp.js';
import { parseParams, persist, WhmFailure, type Handler } from './handler.js';

/** For the caller, whoever the token belongs to; nothing is stored until set_tfa_config. */
export const generateTfaConfig: Handler = ({ caller, store, hostname }) => {
  const secret = generateSecret();
  const issuer = issuerFor(store, caller.user, hostname);
  return { data: { secret, otpauth_str: formatOtpauthUri(issuer, caller.user, secret) } };
};

/** Checks the code against the secret, then overwrites any earlier secret of the caller. */
export const setTfaConfig: Handler = async (context) => {
  const { raw, caller, store, now } = context;
  const { secret, tfa_token } = parseParams('twofactorauth_set_tfa_config', raw, (field) => {
    if (field === 'secret') return whmReasons.invalidSecret;
    return raw.tfa_token === undefined || raw.tfa_token === ''
      ? whmReasons.missingParameter('tfa_token')
      : whmReasons.invalidSecurityCode;
  });
  if (!isValidTotp(secret, tfa_token, now())) throw new WhmFailure(whmReasons.invalidSecurityCode);
  store.state.secrets[caller.user] = { ...store.state.secrets[caller.user], secret };
  await persist(context, 'Failed to save the two-factor authentication configuration.');
  return { data: { success: 1 } };
};
