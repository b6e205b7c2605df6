import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WhmError, whmReasons } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';
import { totpCode } from '../totp.js';

const NOW = 1_750_000_000_000;
let t: TestSimulator | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

/** A simulator whose state directory is gone, so every save fails. */
async function unsaveable(): Promise<TestSimulator> {
  const dir = await mkdtemp(join(tmpdir(), 'whm-sim-save-'));
  const started = await startTestSimulator({
    stateFile: join(dir, 'state.json'),
    clock: () => NOW,
  });
  await rm(dir, { recursive: true });
  return started;
}

const reasonOf = (error: unknown) => (error as WhmError).reason;
const SAVE = /^\(XID [a-hjkmnp-z2-9]{6}\) \S/;

describe('when the state cannot be saved', () => {
  it('then set_tfa_config answers Failed to set user configuration.', async () => {
    t = await unsaveable();
    const secret = 'JBSWY3DPEHPK3PXP';
    await expect(
      t.root.call('twofactorauth_set_tfa_config', { secret, tfa_token: totpCode(secret, NOW) }),
    ).rejects.toEqual(
      new WhmError('twofactorauth_set_tfa_config', whmReasons.setUserConfigurationFailed),
    );
  });

  it('then set_issuer and remove_user_config put their prefix before an exception text with an XID', async () => {
    t = await unsaveable();
    const issuer = reasonOf(
      await t.root.call('twofactorauth_set_issuer', { issuer: 'Acme' }).catch((e: unknown) => e),
    );
    expect(issuer.startsWith(whmReasons.setIssuerFailed)).toBe(true);
    expect(issuer.slice(whmReasons.setIssuerFailed.length)).toMatch(SAVE);
    const removal = reasonOf(
      await t.root
        .call('twofactorauth_remove_user_config', { user: 'root' })
        .catch((e: unknown) => e),
    );
    const prefix = 'Failed to remove two-factor authentication: ';
    expect(removal.startsWith(prefix)).toBe(true);
    expect(removal.slice(prefix.length)).toMatch(SAVE);
  });
});
