import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { writeServersFile, type Fleet } from '@console/whm-sim';
import { startTestFleet, upstreamsOf } from '../testing/fleet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { createLogger } from '../logger.js';
import { openPostgresSchema, startTestConsole, type TestConsole } from '../testing/harness.js';
import { FleetQueue } from './fleet-queue.js';
import { FleetRefresher } from './fleet-refresher.js';
import { FleetStore } from './fleet-store.js';

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

  it('while a round renews the index statistics at its end, it still counts as refreshing (a refresh asked then is not lost)', async () => {
    let release = () => {};
    const gate = new Promise<void>((resolveGate) => (release = resolveGate));
    let analyzing = false;
    // Every reading counts as a big change, and the statistics wait for the test.
    class GatedStore extends FleetStore {
      override async recordReading(...args: Parameters<FleetStore['recordReading']>) {
        await super.recordReading(...args);
        return 1_000_000;
      }
      override async analyzeIndex() {
        analyzing = true;
        await gate;
      }
    }
    const logger = createLogger({ level: 'silent' });
    const upstreams = upstreamsOf(fleet, { timeoutMs: 5_000, maxSockets: 2 });
    const queue = new FleetQueue({ connectionString: url!, schema, intervalMs: 60_000 }, logger);
    const refresher = new FleetRefresher({
      upstreams,
      store: new GatedStore(db),
      logger,
      policy: { intervalMs: 60_000, concurrency: 2, serverTimeoutMs: 5_000 },
      queue,
    });
    try {
      await queue.start(2, (server, manual) => refresher.refreshById(server, manual));
      const round = refresher.refresh();
      await expect.poll(() => analyzing, { timeout: 10_000 }).toBe(true);
      expect(await queue.pending()).toBe(0);
      expect(await refresher.isRefreshing()).toBe(true);
      release();
      await round;
      expect(await refresher.isRefreshing()).toBe(false);
    } finally {
      release();
      await refresher.stop();
      upstreams.forEach((upstream) => upstream.close());
    }
  });
});
