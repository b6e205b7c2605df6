import type { OperatorRecord } from '../operators/operator-store.js';
import type { WhmUpstream } from '../whm/upstream.js';
import { mayUseServer } from './server-scope.js';
import type { FleetRefresher } from './fleet-refresher.js';
import type { FleetSnapshot, FleetStore, HistoryRow, TwoFactorState } from './fleet-store.js';

/** Enrolled customer accounts among those whose package lets them enroll; null when none can. */
export function coverageOf(counts: { accounts: number; enrolled: number; withoutFeature: number }) {
  const able = counts.accounts - counts.withoutFeature;
  return able > 0 ? counts.enrolled / able : null;
}

export interface FleetServerView {
  id: string;
  label: string;
  tags: readonly string[];
  snapshot: null | {
    at: string;
    reachable: boolean;
    fault: string | null;
    policyEnabled: boolean | null;
    issuer: string | null;
    accounts: number;
    enrolled: number;
    withoutFeature: number;
    suspended: number;
    coverage: number | null;
  };
}

export interface FleetOverview {
  refreshedAt: string | null;
  refreshing: boolean;
  totals: {
    servers: number;
    reachable: number;
    accounts: number;
    enrolled: number;
    withoutFeature: number;
    suspended: number;
    policyOn: number;
    coverage: number | null;
  };
  servers: FleetServerView[];
}

type Operator = Pick<OperatorRecord, 'serverTags'>;

export const HISTORY_DAYS = [7, 30, 90] as const;
export const SEARCH_LIMIT = 50;
const DAY_MS = 86_400_000;

function dayOf(at: number): string {
  return new Date(at).toISOString().slice(0, 10);
}

function snapshotView(snapshot: FleetSnapshot): NonNullable<FleetServerView['snapshot']> {
  return {
    at: new Date(snapshot.at).toISOString(),
    reachable: snapshot.reachable,
    fault: snapshot.fault,
    policyEnabled: snapshot.policyEnabled,
    issuer: snapshot.issuer,
    accounts: snapshot.accounts,
    enrolled: snapshot.enrolled,
    withoutFeature: snapshot.withoutFeature,
    suspended: snapshot.suspended,
    coverage: coverageOf(snapshot),
  };
}

/** The fleet screens' answers, from the cache the refresher keeps (never a live WHM read). */
export class FleetService {
  constructor(
    private readonly deps: {
      upstreams: ReadonlyMap<string, WhmUpstream>;
      store: FleetStore;
      refresher: FleetRefresher;
      clock?: () => number;
    },
  ) {}

  /** The servers this operator may see (fleet/server-scope.ts): the cache answers for no other. */
  private servers(operator: Operator): WhmUpstream['server'][] {
    return [...this.deps.upstreams.values()]
      .map((upstream) => upstream.server)
      .filter((server) => mayUseServer(operator, server));
  }

  async overview(operator: Operator): Promise<FleetOverview> {
    const snapshots = new Map((await this.deps.store.snapshots()).map((s) => [s.serverId, s]));
    const servers = this.servers(operator).map((server) => {
      const snapshot = snapshots.get(server.id);
      return {
        id: server.id,
        label: server.label,
        tags: server.tags ?? [],
        snapshot: snapshot ? snapshotView(snapshot) : null,
      };
    });
    const read = servers.flatMap((s) => (s.snapshot ? [s.snapshot] : []));
    const sum = (pick: (s: (typeof read)[number]) => number) =>
      read.reduce((total, s) => total + pick(s), 0);
    const counts = {
      accounts: sum((s) => s.accounts),
      enrolled: sum((s) => s.enrolled),
      withoutFeature: sum((s) => s.withoutFeature),
    };
    const latest = Math.max(0, ...read.map((s) => Date.parse(s.at)));
    return {
      refreshedAt: latest > 0 ? new Date(latest).toISOString() : null,
      refreshing: await this.deps.refresher.isRefreshing(),
      totals: {
        servers: servers.length,
        reachable: read.filter((s) => s.reachable).length,
        ...counts,
        suspended: sum((s) => s.suspended),
        policyOn: read.filter((s) => s.policyEnabled === true).length,
        coverage: coverageOf(counts),
      },
      servers,
    };
  }

  /** Coverage per day, of the fleet and of each server: a server's last reading of each day. */
  async history(operator: Operator, days: (typeof HISTORY_DAYS)[number]) {
    const now = (this.deps.clock ?? Date.now)();
    const known = new Set(this.servers(operator).map((server) => server.id));
    const rows = await this.deps.store.history(now - days * DAY_MS);
    const lastOfDay = new Map<string, Map<string, HistoryRow>>();
    for (const row of rows) {
      if (!known.has(row.serverId)) continue;
      const day = dayOf(row.at);
      const ofDay = lastOfDay.get(day) ?? new Map<string, HistoryRow>();
      ofDay.set(row.serverId, row);
      lastOfDay.set(day, ofDay);
    }
    const fleet: { day: string; accounts: number; enrolled: number; coverage: number | null }[] =
      [];
    const servers: Record<string, { day: string; coverage: number | null }[]> = {};
    for (const [day, ofDay] of [...lastOfDay].sort(([a], [b]) => a.localeCompare(b))) {
      const counts = { accounts: 0, enrolled: 0, withoutFeature: 0 };
      for (const row of ofDay.values()) {
        counts.accounts += row.accounts;
        counts.enrolled += row.enrolled;
        counts.withoutFeature += row.withoutFeature;
        (servers[row.serverId] ??= []).push({ day, coverage: coverageOf(row) });
      }
      fleet.push({
        day,
        accounts: counts.accounts,
        enrolled: counts.enrolled,
        coverage: coverageOf(counts),
      });
    }
    return { days, fleet, servers };
  }

  async search(operator: Operator, query: string) {
    const labels = new Map(this.servers(operator).map((server) => [server.id, server.label]));
    const found = await this.deps.store.search(query, [...labels.keys()], SEARCH_LIMIT + 1);
    return {
      query,
      matches: found.slice(0, SEARCH_LIMIT).map((match) => ({
        server: match.serverId,
        serverLabel: labels.get(match.serverId) ?? match.serverId,
        user: match.user,
        domain: match.domain,
        owner: match.owner,
        plan: match.plan,
        twoFactor: match.twoFactor satisfies TwoFactorState,
        suspended: match.suspended,
      })),
      truncated: found.length > SEARCH_LIMIT,
    };
  }
}
