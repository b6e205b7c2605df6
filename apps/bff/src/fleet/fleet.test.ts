import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeServersFile, type Fleet } from '@console/whm-sim';
import { startTestFleet, upstreamsOf } from '../testing/fleet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openDatabase } from '../db/database.js';
import { migrate } from '../db/migrations.js';
import { createLogger } from '../logger.js';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { FleetRefresher } from './fleet-refresher.js';
import { FleetStore } from './fleet-store.js';

let dir: string;
let fleet: Fleet;
let harness: TestConsole;
let clockOffset = 0;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bff-fleet-screens-'));
  fleet = await startTestFleet({ servers: 4, accounts: 40, seed: 11, unreachable: 1 });
  await writeServersFile(fleet, join(dir, 'servers.json'));
  harness = await startTestConsole({
    clock: () => Date.now() + clockOffset,
    env: { WHM_SERVERS_FILE: join(dir, 'servers.json'), WHM_TIMEOUT_MS: '800' },
  });
  await harness.running.services.fleetRefresher.refresh();
});
afterAll(async () => {
  await harness?.close();
  await fleet?.close();
  await rm(dir, { recursive: true, force: true });
});

function expectedCounts(index: number) {
  const accounts = fleet.servers[index]!.simulator!.accounts();
  return {
    accounts: accounts.length,
    enrolled: accounts.filter((a) => a.tfa).length,
    withoutFeature: accounts.filter((a) => !a.tfa && !a.tfaFeature).length,
    suspended: accounts.filter((a) => a.suspended === 1).length,
  };
}

describe('the fleet overview', () => {
  it('when every server was read, each row and the totals count what the servers hold', async () => {
    const viewer = await harness.login('viewer');
    const overview = (await viewer.get('/api/fleet')).json;
    expect(overview.servers.map((s: { id: string }) => s.id)).toEqual([
      'web01',
      'web02',
      'web03',
      'web04',
    ]);
    let accounts = 0;
    let enrolled = 0;
    for (const [index, server] of fleet.servers.entries()) {
      const row = overview.servers[index];
      expect(row.tags).toEqual(server.tags);
      if (server.unreachable) {
        expect(row.snapshot.reachable).toBe(false);
        expect(row.snapshot.fault).toMatch(/\S/);
        continue;
      }
      const expected = expectedCounts(index);
      expect(row.snapshot).toMatchObject({ reachable: true, fault: null, ...expected });
      expect(row.snapshot.policyEnabled).toBe(server.profile.policyEnabled);
      expect(row.snapshot.coverage).toBeCloseTo(
        expected.enrolled / (expected.accounts - expected.withoutFeature),
      );
      accounts += expected.accounts;
      enrolled += expected.enrolled;
    }
    expect(overview.totals).toMatchObject({ servers: 4, reachable: 3, accounts, enrolled });
    expect(overview.refreshedAt).not.toBeNull();
  });

  it('when a server changes, the next refresh shows it', async () => {
    const first = fleet.servers[0]!;
    const before = expectedCounts(0).enrolled;
    const target = first.simulator!.accounts().find((a) => a.tfa && !a.reseller)!;
    const answer = await fetch(
      `${first.url}/json-api/twofactorauth_remove_user_config?api.version=1&user=${target.user}`,
      { headers: { authorization: `whm root:${first.token}` } },
    );
    expect(answer.status).toBe(200);
    await harness.running.services.fleetRefresher.refresh();
    const viewer = await harness.login('viewer');
    const row = (await viewer.get('/api/fleet')).json.servers[0];
    expect(row.snapshot.enrolled).toBe(before - 1);
  });
});

describe('search across the fleet', () => {
  it('when a user name is searched, every server that has it answers, with its 2FA state', async () => {
    const support = await harness.login('support');
    const someone = fleet.servers[1]!.simulator!.accounts()[5]!;
    const found = (await support.get(`/api/fleet/search?q=${someone.user}`)).json;
    const hit = found.matches.find(
      (m: { server: string; user: string }) => m.server === 'web02' && m.user === someone.user,
    );
    expect(hit).toMatchObject({
      serverLabel: 'web02 (simulated)',
      domain: someone.domain,
      owner: someone.owner,
      twoFactor: someone.tfa ? 'on' : someone.tfaFeature ? 'off' : 'unavailable',
    });
    // A common piece of a domain: found on more than one server, cut at the limit.
    const wide = (await support.get('/api/fleet/search?q=.example')).json;
    expect(new Set(wide.matches.map((m: { server: string }) => m.server)).size).toBeGreaterThan(1);
    expect(wide.matches).toHaveLength(50);
    expect(wide.truncated).toBe(true);
  });

  it('when the search is too short, has LIKE wildcards or repeats, it says so or takes them literally', async () => {
    const viewer = await harness.login('viewer');
    const short = await viewer.get('/api/fleet/search?q=a');
    expect(short.status).toBe(400);
    expect(short.json.field).toBe('q');
    const wildcard = await viewer.get('/api/fleet/search?q=%25%25');
    expect(wildcard.status).toBe(200);
    expect(wildcard.json.matches).toEqual([]);
    expect((await viewer.get('/api/fleet/search?q=ab&q=cd')).status).toBe(400);
  });
});

describe('the coverage trend', () => {
  it('when readings were taken on several days, there is one point per day, and only 7, 30 or 90 days', async () => {
    clockOffset = 86_400_000;
    try {
      await harness.running.services.fleetRefresher.refresh();
    } finally {
      clockOffset = 0;
    }
    const viewer = await harness.login('viewer');
    const history = (await viewer.get('/api/fleet/history?days=7')).json;
    expect(history.days).toBe(7);
    expect(history.fleet.length).toBeGreaterThanOrEqual(1);
    expect(history.servers.web01.length).toBeGreaterThanOrEqual(1);
    const days = history.fleet.map((p: { day: string }) => p.day);
    expect([...days].sort()).toEqual(days);
    expect((await viewer.get('/api/fleet/history?days=5')).json.field).toBe('days');
  });
});

describe('refreshing', () => {
  it('when a viewer asks for a refresh it is refused; an admin starts one', async () => {
    const viewer = await harness.login('viewer');
    expect((await viewer.post('/api/fleet/refresh', {})).status).toBe(403);
    const admin = await harness.login('admin');
    const started = await admin.post('/api/fleet/refresh', {});
    expect(started.status).toBe(202);
    await harness.running.services.fleetRefresher.refresh();
  });

  it('when a server is too slow it fails within the deadline, and a failing server is read less often', async () => {
    const slowFleet = await startTestFleet({
      servers: 2,
      accounts: 5,
      seed: 2,
      unreachable: 1,
      slow: 1,
      slowMs: 1_500,
    });
    const db = await openDatabase({});
    try {
      await migrate(db);
      const store = new FleetStore(db);
      let now = Date.now();
      const upstreams = upstreamsOf(slowFleet, { timeoutMs: 5_000, maxSockets: 4 });
      const refresher = new FleetRefresher({
        upstreams,
        store,
        logger: createLogger({ level: 'silent' }),
        policy: { intervalMs: 60_000, concurrency: 2, serverTimeoutMs: 300 },
        clock: () => now,
      });
      const began = Date.now();
      await refresher.refresh({ respectBackoff: true });
      expect(Date.now() - began).toBeLessThan(1_200);
      const failures = () =>
        store
          .snapshots()
          .then((all) => Object.fromEntries(all.map((s) => [s.serverId, s.failures])));
      const first = await store.snapshots();
      expect(first.find((s) => s.serverId === 'web01')?.fault).toContain('no complete answer');
      expect(await failures()).toEqual({ web01: 1, web02: 1 });
      // Next interval: tried again (1 interval after one failure).
      now += 60_000;
      await refresher.refresh({ respectBackoff: true });
      expect(await failures()).toEqual({ web01: 2, web02: 2 });
      // After two failures it waits two intervals: the next one skips them.
      now += 60_000;
      await refresher.refresh({ respectBackoff: true });
      expect(await failures()).toEqual({ web01: 2, web02: 2 });
      // An admin's refresh does not wait.
      await refresher.refresh();
      expect(await failures()).toEqual({ web01: 3, web02: 3 });
      upstreams.forEach((upstream) => upstream.close());
    } finally {
      await db.close();
      await slowFleet.close();
    }
  });

  it('when a round writes much of the index, the planner has its statistics at once; a round that changes little leaves them', async () => {
    const bigFleet = await startTestFleet({ servers: 2, accounts: 400, seed: 5 });
    const db = await openDatabase({});
    try {
      await migrate(db);
      const store = new FleetStore(db);
      const upstreams = upstreamsOf(bigFleet, { timeoutMs: 5_000, maxSockets: 4 });
      const refresher = new FleetRefresher({
        upstreams,
        store,
        logger: createLogger({ level: 'silent' }),
        policy: { intervalMs: 60_000, concurrency: 2, serverTimeoutMs: 5_000 },
      });
      // What the planner believes the table holds: -1 until it was analyzed.
      const plannerRows = async () =>
        Number(
          (
            await db.query<{ reltuples: number }>(
              "SELECT reltuples FROM pg_class WHERE relname = 'fleet_accounts'",
            )
          )[0]?.reltuples,
        );
      const indexed = async () =>
        Number(
          (await db.query<{ n: number }>('SELECT count(*)::int AS n FROM fleet_accounts'))[0]?.n,
        );
      await refresher.refresh();
      expect(await indexed()).toBeGreaterThan(700);
      expect(await plannerRows()).toBe(await indexed());
      // A round that changes little (it drops this one row the servers do not have) leaves the
      // statistics to autovacuum.
      await db.query(
        "INSERT INTO fleet_accounts (server_id, username, domain, owner, plan, two_factor, suspended) VALUES ('web01', 'zz-extra', 'zz.test', 'root', 'p', 'off', false)",
      );
      const before = await plannerRows();
      await refresher.refresh();
      expect(await plannerRows()).toBe(before);
      upstreams.forEach((upstream) => upstream.close());
    } finally {
      await db.close();
      await bigFleet.close();
    }
  });
});

describe('fleet-wide changes', () => {
  const lines = (text: string) =>
    text
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as Record<string, unknown>);

  it('when an admin previews a change, it says where it would change, needs no step-up and changes nothing', async () => {
    const admin = await harness.login('admin');
    const preview = await admin.post('/api/fleet/changes', {
      action: 'enable_policy',
      target: { all: true },
      preview: true,
    });
    expect(preview.status).toBe(200);
    const byServer = Object.fromEntries(
      preview.json.servers.map((s: { server: string; change: string }) => [s.server, s.change]),
    );
    for (const server of fleet.servers) {
      const expected = server.unreachable
        ? 'unknown'
        : server.profile.policyEnabled
          ? 'already'
          : 'change';
      expect(byServer[server.id]).toBe(expected);
    }
  });

  it('when asked wrongly or by the wrong person, nothing runs and the answer says why', async () => {
    const viewer = await harness.login('viewer');
    expect(
      (await viewer.post('/api/fleet/changes', { action: 'enable_policy', target: { all: true } }))
        .status,
    ).toBe(403);
    const admin = await harness.login('admin');
    const noStepUp = await admin.post('/api/fleet/changes', {
      action: 'disable_policy',
      target: { all: true },
    });
    expect(noStepUp.status).toBe(401);
    expect(noStepUp.json.code).toBe('step_up_required');
    await admin.stepUp();
    const noIssuer = await admin.post('/api/fleet/changes', {
      action: 'set_issuer',
      target: { all: true },
    });
    expect(noIssuer.json.field).toBe('issuer');
    const badTag = await admin.post('/api/fleet/changes', {
      action: 'enable_policy',
      target: { tag: 'mars-1' },
    });
    expect(badTag.json.field).toBe('target.tag');
    const badServer = await admin.post('/api/fleet/changes', {
      action: 'enable_policy',
      target: { servers: ['web99'] },
    });
    expect(badServer.json.field).toBe('target.servers');
  });

  it('when an admin turns the policy on everywhere, each server reports changed, already or failed, and it is audited', async () => {
    // At least one server to change: web01's policy off, whatever the seed made it.
    const web01 = fleet.servers[0]!;
    await fetch(`${web01.url}/json-api/twofactorauth_disable_policy?api.version=1`, {
      headers: { authorization: `whm root:${web01.token}` },
    });
    const wasOn = new Map(
      fleet.servers.map((s) => [s.id, s.id !== 'web01' && s.profile.policyEnabled]),
    );
    const admin = await harness.login('admin');
    await admin.stepUp();
    const answer = await admin.post('/api/fleet/changes', {
      action: 'enable_policy',
      target: { all: true },
    });
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toContain('application/x-ndjson');
    const events = lines(answer.text);
    const results = events.filter((e) => e.type === 'result');
    expect(results).toHaveLength(4);
    const done = events.at(-1)!;
    expect(done.type).toBe('done');
    for (const server of fleet.servers) {
      const result = results.find((r) => r.server === server.id)!;
      if (server.unreachable) {
        expect(result.result).toBe('failed');
        expect(String(result.reason)).toMatch(/\S/);
      } else {
        expect(result.result).toBe(wasOn.get(server.id) ? 'already' : 'changed');
        const status = await fetch(
          `${server.url}/json-api/twofactorauth_policy_status?api.version=1`,
          { headers: { authorization: `whm root:${server.token}` } },
        );
        expect(((await status.json()) as { data: { is_enabled: number } }).data.is_enabled).toBe(1);
      }
    }
    expect(done.failed).toBe(1);
    const records = (await admin.get('/api/audit?function=fleet%3Atwofactorauth_enable_policy'))
      .json.records as { kind: string; outcome: string | null; detail: { operation: string } }[];
    const operation = records.find((r) => r.kind === 'outcome')!;
    expect(operation.outcome).toBe('partial');
    expect(records.filter((r) => r.detail.operation === operation.detail.operation)).toHaveLength(
      2,
    );
    const perServer = (await admin.get('/api/audit?function=twofactorauth_enable_policy')).json
      .records as { kind: string; server: string }[];
    const changed = results.filter((r) => r.result === 'changed').map((r) => r.server);
    expect(changed).toContain('web01');
    expect(
      perServer
        .filter((r) => r.kind === 'outcome')
        .map((r) => r.server)
        .sort(),
    ).toEqual([...changed].sort());

    // A retry of the failures asks only those servers.
    const retry = await admin.post('/api/fleet/changes', {
      action: 'enable_policy',
      target: { servers: ['web04'] },
    });
    const retried = lines(retry.text).filter((e) => e.type === 'result');
    expect(retried.map((r) => r.server)).toEqual(['web04']);
  });
});
