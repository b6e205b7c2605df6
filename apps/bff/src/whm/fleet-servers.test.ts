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

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'bff-fleet-'));
  fleet = await startTestFleet({ servers: 3, accounts: 12, seed: 5, unreachable: 1 });
  await writeServersFile(fleet, join(dir, 'servers.json'));
  harness = await startTestConsole({
    env: { WHM_SERVERS_FILE: join(dir, 'servers.json'), WHM_TIMEOUT_MS: '800' },
  });
});
afterAll(async () => {
  await harness?.close();
  await fleet?.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the servers file `pnpm sim --servers N` writes', () => {
  it('when the console reads it, every server is there with its tags, each read with its own token', async () => {
    const viewer = await harness.login('viewer');
    const servers = await viewer.get('/api/servers');
    expect(servers.json.servers).toEqual(
      fleet.servers.map((server) => ({
        id: server.id,
        label: server.label,
        demo: false,
        tags: server.tags,
      })),
    );
    for (const server of fleet.servers.filter((s) => !s.unreachable)) {
      const accounts = await viewer.whm('listaccts', 'want=user', server.id);
      expect(accounts.status).toBe(200);
      expect(accounts.json.data.acct).toHaveLength(server.accounts);
    }
    const down = fleet.servers.find((s) => s.unreachable)!;
    const unreachable = await viewer.whm('twofactorauth_policy_status', '', down.id);
    expect(unreachable.status).toBe(502);
    expect(unreachable.json.code).toBe('upstream_unavailable');
  });
});
