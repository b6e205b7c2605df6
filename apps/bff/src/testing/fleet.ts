import { startFleet, type Fleet, type FleetOptions } from '@console/whm-sim';

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
