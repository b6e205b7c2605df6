import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const OATHTOOL = '/usr/bin/oathtool';

/**
 * Debian's oathtool, an implementation independent of ours. Installed when missing and we are root;
 * otherwise the test fails with the command to run, never skips.
 */
export function ensureOathtool(): string {
  if (existsSync(OATHTOOL)) return OATHTOOL;
  if (process.getuid?.() === 0) {
    execFileSync('apt-get', ['install', '-y', 'oathtool'], { stdio: 'ignore' });
    if (existsSync(OATHTOOL)) return OATHTOOL;
  }
  throw new Error(
    `${OATHTOOL} is missing: install it with "apt-get install -y oathtool" (needs root) and rerun`,
  );
}

export function oathtoolCode(secret: string): string {
  return execFileSync(ensureOathtool(), ['--totp', '-b', secret], { encoding: 'utf8' }).trim();
}
