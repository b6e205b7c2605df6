import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { DEMO_HISTORY_DAYS, seedDemoHistory } from './demo-history.js';
import { FleetStore } from './fleet-store.js';

let harness: TestConsole;

beforeAll(async () => {
  harness = await startTestConsole({ fleetRefresh: true, env: { WHM_SIM_SERVERS: '5' } });
});
afterAll(async () => {
  await harness?.close();
});

async function until<T>(read: () => Promise<T>, done: (value: T) => boolean): Promise<T> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > deadline) return value;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('the demo fleet', () => {
  it('when demo mode starts, five simulated servers are read and 90 days of trend stand behind them', async () => {
    const viewer = await harness.login('viewer');
    const servers = (await viewer.get('/api/servers')).json.servers as {
      id: string;
      tags: string[];
    }[];
    expect(servers.map((s) => s.id)).toEqual(['local', 'web01', 'web02', 'web03', 'web04']);
    expect(servers.every((s) => s.tags.length === 1)).toBe(true);
    const history = await until(
      async () =>
        (await viewer.get('/api/fleet/history?days=90')).json as {
          fleet: { coverage: number }[];
          servers: Record<string, unknown>;
        },
      (value) => value.fleet.length >= DEMO_HISTORY_DAYS,
    );
    expect(history.fleet.length).toBeGreaterThanOrEqual(DEMO_HISTORY_DAYS);
    expect(Object.keys(history.servers).sort()).toEqual(servers.map((s) => s.id).sort());
    const first = history.fleet[0]!.coverage;
    const last = history.fleet.at(-1)!.coverage;
    expect(last).toBeGreaterThan(first);
    const overview = (await viewer.get('/api/fleet')).json;
    expect(overview.totals.reachable).toBe(5);
    // A second start on the same database makes up no second past.
    const store = new FleetStore(harness.running.services.db);
    expect(await seedDemoHistory(store, Date.now())).toBe(0);
  });
});
