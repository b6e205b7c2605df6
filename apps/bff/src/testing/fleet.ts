import { startFleet, type Fleet, type FleetOptions } from '@console/whm-sim';
import { createUpstream, type WhmUpstream } from '../whm/upstream.js';

/** A simulated fleet for a test: on free ports, in memory, reachable and quick unless asked. */
export function startTestFleet(
  options: Pick<FleetOptions, 'servers'> & Partial<FleetOptions>,
): Promise<Fleet> {
  return startFleet({
    basePort: 0,
    host: '127.0.0.1',
    accounts: 10,
    seed: 1,
    unreachable: 0,
    slow: 0,
    slowMs: 0,
    latencyMs: 0,
    stateDir: undefined,
    ...options,
  });
}

/** One upstream per server of a simulated fleet, as the console makes them for its servers file. */
export function upstreamsOf(
  fleet: Fleet,
  options: { timeoutMs: number; maxSockets: number },
): Map<string, WhmUpstream> {
  return new Map(
    fleet.servers.map((server) => [
      server.id,
      createUpstream(
        {
          id: server.id,
          label: server.label,
          url: server.url,
          user: 'root',
          token: server.token,
          demo: false,
        },
        options,
      ),
    ]),
  );
}
