import { whmWrite } from '../../../lib/whm';

/** Turns 2FA on for the WHM user once WHM accepts a code computed from the secret. */
export function setTfaConfig(server: string, input: { secret: string; code: string }) {
  return whmWrite(server, 'twofactorauth_set_tfa_config', {
    secret: input.secret,
    tfa_token: input.code,
  });
}
