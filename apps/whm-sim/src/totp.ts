import { randomBytes } from 'node:crypto';
import { Secret, TOTP as Totp } from 'otpauth';
import { GENERATED_SECRET_LENGTH, TOTP } from '@console/whm-api';

/** 10 random bytes are exactly 16 base32 characters, the length WHM generates. */
const SECRET_BYTES = (GENERATED_SECRET_LENGTH * 5) / 8;

export function generateSecret(): string {
  return new Secret({ buffer: randomBytes(SECRET_BYTES).buffer }).base32;
}

function totpFor(secret: string): Totp {
  return new Totp({
    secret: Secret.fromBase32(secret.toUpperCase()),
    algorithm: TOTP.algorithm,
    digits: TOTP.digits,
    period: TOTP.periodSeconds,
  });
}

/** The code an authenticator shows at `nowMs`. */
export function totpCode(secret: string, nowMs: number): string {
  return totpFor(secret).generate({ timestamp: nowMs });
}

/** WHM accepts the previous, current and next step, compared as six-character strings. */
export function isValidTotp(secret: string, token: string, nowMs: number): boolean {
  if (!/^\d{6}$/.test(token)) return false;
  try {
    return totpFor(secret).validate({ token, timestamp: nowMs, window: TOTP.window }) !== null;
  } catch {
    // A secret too short to decode into a key cannot match any code.
    return false;
  }
}
