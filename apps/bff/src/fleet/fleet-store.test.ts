import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrations.js';
import { testDatabases } from '../testing/harness.js';
import { FleetStore, type FleetReading, type IndexedAccount } from './fleet-store.js';

const reading = (serverId: string, at: number): FleetReading => ({
  serverId,
  at,
  reachable: true,
  fault: null,
  policyEnabled: true,
  issuer: 'Example',
  accounts: 3,
  enrolled: 1,
  withoutFeature: 0,
  suspended: 0,
});

const account = (user: string, changes: Partial<IndexedAccount> = {}): IndexedAccount => ({
  user,
  domain: `${user}.example.com`,
  owner: 'root',
  plan: 'default',
  twoFactor: 'off',
  suspended: false,
  ...changes,
});

describe.each(testDatabases())('the fleet index on $label', (database) => {
  let db: Database;
  let store: FleetStore;
  beforeAll(async () => {
    db = await database.open();
    await migrate(db);
    store = new FleetStore(db);
  });
  afterAll(async () => {
    await db.close();
  });

  // Row versions (xmin) tell whether a row was written: an unchanged account must not be.
  const versions = async (serverId: string) =>
    new Map(
      (
        await db.query<{ username: string; xmin: string }>(
          'SELECT username, xmin::text AS xmin FROM fleet_accounts WHERE server_id = $1',
          [serverId],
        )
      ).map((row) => [row.username, row.xmin]),
    );

  it('when a server is read again, only the accounts that changed, came or went are written', async () => {
    await store.recordReading(reading('s1', 1), [
      account('alice'),
      account('bob'),
      account('carol'),
    ]);
    await store.recordReading(reading('s2', 1), [account('bob')]);
    const before = await versions('s1');

    await store.recordReading(reading('s1', 2), [
      account('alice'),
      account('bob', { twoFactor: 'on' }),
      account('dave'),
    ]);

    const after = await versions('s1');
    expect([...after.keys()].sort()).toEqual(['alice', 'bob', 'dave']);
    expect(after.get('alice')).toBe(before.get('alice'));
    expect(after.get('bob')).not.toBe(before.get('bob'));
    const bob = await store.search('bob', ['s1', 's2'], 10);
    expect(bob.map((m) => [m.serverId, m.twoFactor])).toEqual([
      ['s1', 'on'],
      ['s2', 'off'],
    ]);
    expect(await store.search('carol', ['s1'], 10)).toEqual([]);
    // The other server's index is its own.
    expect((await versions('s2')).size).toBe(1);
  });

  it('when a server comes back with no accounts, its index empties', async () => {
    await store.recordReading(reading('s3', 1), [account('erin')]);
    await store.recordReading({ ...reading('s3', 2), accounts: 0 }, []);
    expect((await versions('s3')).size).toBe(0);
  });
});
