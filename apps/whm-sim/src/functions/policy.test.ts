import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { WhmError, whmReasons } from '@console/whm-api';
import { startTestSimulator, type TestSimulator } from '../test-support/simulator.js';

let t: TestSimulator | undefined;
afterEach(async () => {
  await t?.sim.close();
  t = undefined;
});

describe('twofactorauth policy', () => {
  it('when the policy was never set, then policy_status says 0', async () => {
    t = await startTestSimulator();
    await expect(t.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
      is_enabled: 0,
    });
  });

  it('when root enables then disables the policy, then the status follows and no secret changes', async () => {
    t = await startTestSimulator();
    const secretsBefore = t.sim.accounts().map((acct) => [acct.user, t?.sim.secretOf(acct.user)]);
    expect(secretsBefore.some(([, secret]) => secret !== undefined)).toBe(true);

    const enabled = await t.root.callWithMetadata('twofactorauth_enable_policy', {});
    expect(enabled.metadata).toMatchObject({ result: 1, reason: 'OK' });
    expect(enabled.data).toBeUndefined();
    await expect(t.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
      is_enabled: 1,
    });
    expect(t.sim.accounts().map((acct) => [acct.user, t?.sim.secretOf(acct.user)])).toEqual(
      secretsBefore,
    );

    await t.root.call('twofactorauth_disable_policy', {});
    await expect(t.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
      is_enabled: 0,
    });
    expect(t.sim.accounts().map((acct) => [acct.user, t?.sim.secretOf(acct.user)])).toEqual(
      secretsBefore,
    );
  });

  it('when a reseller tries to change the policy, then WHM refuses and the policy stays', async () => {
    t = await startTestSimulator();
    const { client } = t.reseller(0);
    await expect(client.call('twofactorauth_enable_policy', {})).rejects.toBeInstanceOf(WhmError);
    await expect(client.call('twofactorauth_policy_status', {})).resolves.toEqual({
      is_enabled: 0,
    });
  });

  it('when the state cannot be saved, then enable and disable fail with WHM’s reasons', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'whm-sim-policy-'));
    t = await startTestSimulator({ stateFile: join(dir, 'state.json') });
    await rm(dir, { recursive: true });
    await expect(t.root.call('twofactorauth_enable_policy', {})).rejects.toEqual(
      new WhmError('twofactorauth_enable_policy', whmReasons.enablePolicyFailed),
    );
    await expect(t.root.call('twofactorauth_disable_policy', {})).rejects.toEqual(
      new WhmError('twofactorauth_disable_policy', whmReasons.disablePolicyFailed),
    );
  });
});
