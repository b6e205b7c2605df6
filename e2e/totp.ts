import { Secret, TOTP } from 'otpauth';

export const PERIOD_MS = 30_000;

/** TOTP as WHM and the console use it: SHA1, 6 digits, 30 s. */
export function totpOf(base32: string): TOTP {
  return new TOTP({ secret: Secret.fromBase32(base32), algorithm: 'SHA1', digits: 6, period: 30 });
}

/** The code of time step `step` (steps are counted from the Unix epoch). */
export function codeAt(totp: TOTP, step: number): string {
  return totp.generate({ timestamp: step * PERIOD_MS });
}

export function currentStep(): number {
  return Math.floor(Date.now() / PERIOD_MS);
}

/** A 6-digit code no accepted window (±1 step) matches right now. */
export function wrongCode(totp: TOTP): string {
  const step = currentStep();
  const accepted = new Set([step - 1, step, step + 1].map((s) => codeAt(totp, s)));
  for (let n = 0; ; n++) {
    const code = String(n).padStart(6, '0');
    if (!accepted.has(code)) return code;
  }
}

/** Waits until at least `seconds` of the current period are left, so codes stay current. */
export async function atLeastLeftInPeriod(seconds: number): Promise<void> {
  const left = PERIOD_MS - (Date.now() % PERIOD_MS);
  if (left < seconds * 1000) await new Promise((resolve) => setTimeout(resolve, left + 200));
}
