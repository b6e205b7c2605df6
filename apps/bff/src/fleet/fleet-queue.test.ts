import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { writeServersFile, type Fleet } from '@console/whm-sim';
import { startTestFleet } from '../testing/fleet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { openPostgresSchema, startTestConsole, type TestConsole } from '../testing/harness.js';

const url = process.env.TEST_DATABASE_URL;
if (!url && process.env.CI === 'true') {
  throw new Error('CI must set TEST_DATABASE_URL: the fleet queue runs on PostgreSQL only');
}

// Only PostgreSQL has several instances; on PGlite one process refreshes (fleet.test.ts).
describe.runIf(url)('two console instances on one PostgreSQL refresh the fleet', () => {
  let dir: string;
  let fleet: Fleet;
  let db: Database;
  let a: TestConsole;
  let b: TestConsole;
  const schema = `pgboss_${randomBytes(4).toString('hex')}`;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bff-fleet-queue-'));
    fleet = await startTestFleet({ servers: 4, accounts: 10, seed: 9 });
    await writeServersFile(fleet, join(dir, 'servers.json'));
    db = await openPostgresSchema(url!);
    const options = {
      database: db,
      fleetRefresh: true,
      fleetQueue: { connectionString: url!, schema },
      // The longest interval the settings allow: its singleton slot is a day (pg-boss refused
      // slots longer than its 12 h archive default, and every round failed).
      env: { WHM_SERVERS_FILE: join(dir, 'servers.json'), FLEET_REFRESH_MINUTES: '1440' },
    };
    a = await startTestConsole(options);
    b = await startTestConsole({ ...options, seedOperators: false });
  }, 60_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.close();
    await fleet?.close();
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  });

  const listaccts = () => fleet.servers.map((s) => s.simulator!.calls.count('listaccts'));

  it('when both start in the same interval, each server is read exactly once, by one of them', async () => {
    await a.running.services.fleetRefresher.refresh({ respectBackoff: true });
    await b.running.services.fleetRefresher.refresh({ respectBackoff: true });
    expect(listaccts()).toEqual([1, 1, 1, 1]);
    const viewer = await b.login('viewer');
    const overview = (await viewer.get('/api/fleet')).json;
    expect(overview.totals.reachable).toBe(4);
    expect(overview.refreshing).toBe(false);
  });

  it('when an admin asks for a refresh on one instance, every server is read once more', async () => {
    const admin = await a.login('admin');
    expect((await admin.post('/api/fleet/refresh', {})).status).toBe(202);
    await a.running.services.fleetRefresher.refresh();
    expect(listaccts()).toEqual([2, 2, 2, 2]);
  });
});
