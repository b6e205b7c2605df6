import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeServersFile, type Fleet } from '@console/whm-sim';
import { startTestFleet } from '../testing/fleet.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

let dir: string;
let fleet: Fleet;
let harness: TestConsole;
const PASSWORD = 'a long enough password';

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bff-scope-'));
  // Six servers: web01–web04 in eu-west, web05–web06 in us-east.
  fleet = await startTestFleet({ servers: 6, accounts: 8, seed: 4 });
  await writeServersFile(fleet, join(dir, 'servers.json'));
  harness = await startTestConsole({ env: { WHM_SERVERS_FILE: join(dir, 'servers.json') } });
  await harness.running.services.fleetRefresher.refresh();
});
afterAll(async () => {
  await harness?.close();
  await fleet?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('an operator limited to servers by tag', () => {
  it('when support is limited to us-east, only those servers exist for it: lists, reads, fleet and search', async () => {
    expect(fleet.servers.map((s) => s.tags[0])).toEqual([
      'eu-west',
      'eu-west',
      'eu-west',
      'eu-west',
      'us-east',
      'us-east',
    ]);
    const admin = await harness.login('admin');
    const noStepUp = await admin.post('/api/operators', {
      username: 'us-support',
      password: PASSWORD,
      role: 'support',
      serverTags: ['us-east'],
    });
    expect(noStepUp.status).toBe(401);
    await admin.stepUp();
    const created = await admin.post('/api/operators', {
      username: 'us-support',
      password: PASSWORD,
      role: 'support',
      serverTags: ['us-east'],
    });
    expect(created.status).toBe(201);
    expect(created.json.operator.serverTags).toEqual(['us-east']);

    const support = await harness.login('us-support', PASSWORD);
    const servers = (await support.get('/api/servers')).json.servers as { id: string }[];
    expect(servers.map((s) => s.id)).toEqual(['web05', 'web06']);
    expect((await support.whm('twofactorauth_policy_status', '', 'web05')).status).toBe(200);
    const refused = await support.whm('twofactorauth_policy_status', '', 'web01');
    expect(refused.status).toBe(403);
    expect(refused.json.message).toContain('us-east');
    const removal = await support.whmWrite(
      'twofactorauth_remove_user_config',
      { user: 'someone', reason: 'ticket 1' },
      'web02',
    );
    expect(removal.status).toBe(403);

    const overview = (await support.get('/api/fleet')).json;
    expect(overview.servers.map((s: { id: string }) => s.id)).toEqual(['web05', 'web06']);
    expect(overview.totals.servers).toBe(2);
    const everywhere = fleet.servers.flatMap((s) => s.simulator!.accounts().map((a) => a.domain));
    const common = everywhere[0]!.split('.').at(-1)!;
    const found = (await support.get(`/api/fleet/search?q=.${common}`)).json;
    expect(found.matches.length).toBeGreaterThan(0);
    const seenOn = [...new Set(found.matches.map((m: { server: string }) => m.server))].sort();
    expect(seenOn.every((id) => id === 'web05' || id === 'web06')).toBe(true);
    const history = (await support.get('/api/fleet/history?days=7')).json;
    expect(Object.keys(history.servers).sort()).toEqual(['web05', 'web06']);
  });

  it('when an admin lifts the limit, it needs step-up, and then every server is there', async () => {
    const admin = await harness.login('admin');
    const list = (await admin.get('/api/operators')).json.operators as {
      id: number;
      username: string;
    }[];
    const id = list.find((o) => o.username === 'us-support')!.id;
    const lift = await admin.request('PATCH', `/api/operators/${id}`, {
      body: { serverTags: null },
    });
    expect(lift.status).toBe(401);
    await admin.stepUp();
    const lifted = await admin.request('PATCH', `/api/operators/${id}`, {
      body: { serverTags: null },
    });
    expect(lifted.status).toBe(200);
    const support = await harness.login('us-support', PASSWORD);
    expect((await support.get('/api/servers')).json.servers).toHaveLength(6);
    const bad = await admin.request('PATCH', `/api/operators/${id}`, {
      body: { serverTags: ['Not A Tag'] },
    });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('serverTags.0');
  });
});
