import { whmWrite } from '../../../lib/whm';

/**
 * A new secret for the WHM user the console acts as. A POST, and deliberately no query: the
 * secret must not sit in the query cache (the wizard keeps it in its mutation's result only).
 */
export async function generateTfaConfig(server: string) {
  const answer = await whmWrite(server, 'twofactorauth_generate_tfa_config', {});
  return { secret: answer.data.secret, otpauthUri: answer.data.otpauth_str };
}
