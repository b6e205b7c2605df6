import type { FleetServer } from '../api/fleet';

export type FleetState = 'all' | 'policy-off' | 'unreachable' | 'coverage-under';

export interface FleetFilter {
  tag: string;
  state: FleetState;
  /** Percent, for 'coverage-under'. */
  under: number;
}

export const ALL_TAGS = '';

export function allTags(servers: readonly FleetServer[]): string[] {
  return [...new Set(servers.flatMap((s) => s.tags))].sort();
}

/** The rows a filter keeps; a server never read counts as unreachable and has no coverage. */
export function filterServers(servers: readonly FleetServer[], filter: FleetFilter): FleetServer[] {
  return servers.filter((server) => {
    if (filter.tag !== ALL_TAGS && !server.tags.includes(filter.tag)) return false;
    const snapshot = server.snapshot;
    switch (filter.state) {
      case 'policy-off':
        return snapshot?.reachable === true && snapshot.policyEnabled === false;
      case 'unreachable':
        return !snapshot?.reachable;
      case 'coverage-under':
        return snapshot?.coverage != null && snapshot.coverage * 100 < filter.under;
      default:
        return true;
    }
  });
}
