import { Secret, TOTP } from 'otpauth';
import { TOTP as TOTP_RULES } from '@console/whm-api/rules';

export const TOTP_CODE_PATTERN = /^\d{6}$/;

export function generateTotpSecret(): string {
  return new Secret({ size: 20 }).base32;
}

export function totpUri(issuer: string, username: string, secret: string): string {
  return new TOTP({
    issuer,
    label: username,
    secret: Secret.fromBase32(secret),
    digits: TOTP_RULES.digits,
    period: TOTP_RULES.periodSeconds,
  }).toString();
}

/**
 * Checks a code within ±1 step (otpauth compares in constant time) and returns the step it
 * matched, or null. Replay is the caller's job: it must refuse a step at or below the last used.
 */
export function matchTotpStep(secret: string, code: string, now: number): number | null {
  if (!TOTP_CODE_PATTERN.test(code)) return null;
  const delta = TOTP.validate({
    token: code,
    secret: Secret.fromBase32(secret),
    digits: TOTP_RULES.digits,
    period: TOTP_RULES.periodSeconds,
    timestamp: now,
    window: TOTP_RULES.window,
  });
  if (delta === null) return null;
  return Math.floor(now / 1000 / TOTP_RULES.periodSeconds) + delta;
}

export function totpCode(secret: string, at: number): string {
  return TOTP.generate({
    secret: Secret.fromBase32(secret),
    digits: TOTP_RULES.digits,
    period: TOTP_RULES.periodSeconds,
    timestamp: at,
  });
}
