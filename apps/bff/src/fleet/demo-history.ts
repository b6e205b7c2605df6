import { createHash } from 'node:crypto';
import type { FleetStore, HistoryRow } from './fleet-store.js';

const DAY_MS = 86_400_000;
export const DEMO_HISTORY_DAYS = 90;

/** A number in [0, 1) fixed by the text: the same server gets the same made-up past. */
function fraction(text: string): number {
  return createHash('sha256').update(text).digest().readUInt32BE(0) / 2 ** 32;
}

/**
 * Demo mode only: 90 days of plausible history behind each server's first reading, so the trend
 * chart shows something from the first minute. Coverage climbs from about 55–70 % of today's
 * with day-to-day noise, accounts grow a little; one reading a day at noon UTC. A server that has
 * history from before yesterday keeps it (a restarted demo does not invent a second past).
 */
export async function seedDemoHistory(store: FleetStore, now: number): Promise<number> {
  const snapshots = (await store.snapshots()).filter((s) => s.reachable);
  const today = Math.floor(now / DAY_MS) * DAY_MS;
  const existing = await store.history(today - (DEMO_HISTORY_DAYS + 1) * DAY_MS);
  const hasPast = new Set(
    existing.filter((row) => row.at < today - DAY_MS).map((row) => row.serverId),
  );
  const rows: (HistoryRow & { policyEnabled: boolean | null })[] = [];
  for (const snapshot of snapshots) {
    if (hasPast.has(snapshot.serverId)) continue;
    const able = Math.max(1, snapshot.accounts - snapshot.withoutFeature);
    const coverageNow = snapshot.enrolled / able;
    const start = coverageNow * (0.55 + 0.15 * fraction(`${snapshot.serverId}:start`));
    for (let back = DEMO_HISTORY_DAYS; back >= 1; back--) {
      const progress = 1 - back / DEMO_HISTORY_DAYS;
      const noise = (fraction(`${snapshot.serverId}:${back}`) - 0.5) * 0.02;
      const coverage = Math.min(1, Math.max(0, start + (coverageNow - start) * progress + noise));
      const accounts = Math.round(snapshot.accounts * (0.93 + 0.07 * progress));
      const withoutFeature = Math.round(
        snapshot.withoutFeature * (accounts / Math.max(1, snapshot.accounts)),
      );
      rows.push({
        serverId: snapshot.serverId,
        at: today - back * DAY_MS + DAY_MS / 2,
        reachable: true,
        policyEnabled: snapshot.policyEnabled,
        accounts,
        enrolled: Math.round(coverage * Math.max(0, accounts - withoutFeature)),
        withoutFeature,
      });
    }
  }
  await store.insertHistoryRows(rows);
  return rows.length;
}
