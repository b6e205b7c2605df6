import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startService, type Service } from './processes.js';

const here = dirname(fileURLToPath(import.meta.url));
const simCli = resolve(here, '..', '..', '..', 'apps', 'whm-sim', 'dist', 'cli.js');

/** The fleet budgets (issue 13): 100 servers × 2,000 accounts at 20 ms. */
export const fleetBudgets = {
  refreshMs: 15_000,
  searchP95Ms: 100,
  rssMiB: 250,
  policyChangeMs: 10_000,
};

interface FleetBff {
  url: string;
  cookie: string;
  credentials: { username: string; password: string };
  service: Service;
}

interface FleetPhaseDeps {
  workDir: string;
  smoke: boolean;
  say: (line: string) => void;
  record: (name: string, value: number, unit: string, budget: string, ok: boolean | null) => void;
  startBff: (dataDir: string, env: Record<string, string>) => Promise<FleetBff>;
}

interface Overview {
  refreshing: boolean;
  servers: { id: string; snapshot: { at: string; reachable: boolean; accounts: number } | null }[];
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] ?? NaN;
}

/**
 * The topology a user deploys: the simulated fleet in its own process (`pnpm sim --servers N`),
 * the console in its own with `WHM_SERVERS_FILE`, on the bench's database. Measured: one full
 * refresh (with the BFF's resident memory through it), fleet searches at the BFF, and a policy
 * change on every server.
 */
export async function fleetPhase(deps: FleetPhaseDeps): Promise<void> {
  const { workDir, smoke, say, record } = deps;
  const servers = smoke ? 5 : 100;
  const accountsPerServer = smoke ? 100 : 2_000;
  const serversFile = join(workDir, 'fleet', 'servers.json');
  say(
    `\nfleet: ${servers} simulated servers × ~${accountsPerServer} accounts, latency 20 ms, in their own process`,
  );
  const sim = await startService(
    'fleet-sim',
    process.execPath,
    [
      simCli,
      ...['--servers', String(servers), '--servers-file', serversFile, '--port', '0'],
      ...['--accounts', String(accountsPerServer), '--latency-ms', '20', '--seed', '1'],
    ],
    { ready: () => Promise.resolve(existsSync(serversFile)), timeoutMs: 180_000 },
  );
  let bff: FleetBff | undefined;
  try {
    bff = await deps.startBff(join(workDir, 'fleet-bff'), {
      WHM_SERVERS_FILE: serversFile,
      // One round at start; the bench asks for the measured one itself.
      FLEET_REFRESH_MINUTES: '1440',
    });
    const { url, cookie } = bff;
    const headers = { cookie, 'x-csrf': '1' };
    const overview = async () =>
      (await (await fetch(`${url}/api/fleet`, { headers })).json()) as Overview;
    const roundDone = async (since: number, timeoutMs: number) => {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const now = await overview();
        const all = now.servers.every((s) => s.snapshot && Date.parse(s.snapshot.at) >= since);
        if ((all && !now.refreshing) || Date.now() > deadline) return now;
        await new Promise((resolveWait) => setTimeout(resolveWait, 50));
      }
    };
    // The start-up round first (it also warms the connections), then the measured one.
    await roundDone(0, 300_000);
    const began = Date.now();
    let peakMiB = bff.service.rssMiB();
    const sampler = setInterval(() => {
      peakMiB = Math.max(peakMiB, bff?.service.rssMiB() ?? 0);
    }, 100);
    const started = await fetch(`${url}/api/fleet/refresh`, { method: 'POST', headers });
    if (started.status !== 202) throw new Error(`fleet refresh: ${started.status}`);
    const after = await roundDone(began, 120_000);
    const refreshMs = Date.now() - began;
    clearInterval(sampler);
    const read = after.servers.filter((s) => s.snapshot && Date.parse(s.snapshot.at) >= began);
    const total = read.reduce((sum, s) => sum + (s.snapshot?.accounts ?? 0), 0);
    say(
      `  fleet     full refresh: ${read.length}/${servers} servers, ${total} accounts in ${refreshMs} ms; BFF resident at most ${peakMiB.toFixed(0)} MiB`,
    );
    record(
      'fleet: servers read in the refresh',
      read.length,
      'count',
      `${servers}`,
      read.length === servers,
    );
    record(
      `fleet: full refresh, ${servers} servers`,
      refreshMs,
      'ms',
      `≤ ${fleetBudgets.refreshMs}`,
      refreshMs <= fleetBudgets.refreshMs,
    );
    record(
      'fleet: BFF resident memory during a refresh',
      peakMiB,
      'MiB',
      `≤ ${fleetBudgets.rssMiB}`,
      peakMiB <= fleetBudgets.rssMiB,
    );

    // Searches as support staff type them: user names (some exact, some partial) and domains.
    const words = ['acme', 'bakery', 'delta', 'nova', 'ocean', 'pixel', 'alpha', 'web'];
    const queries = Array.from({ length: smoke ? 20 : 200 }, (_v, i) => {
      const word = words[i % words.length] ?? 'acme';
      return i % 3 === 0
        ? `${word}${(i * 37) % 2000}`
        : i % 3 === 1
          ? word.slice(0, 3)
          : `.${word}`;
    });
    const times: number[] = [];
    for (const q of queries) {
      const t0 = performance.now();
      const answer = await fetch(`${url}/api/fleet/search?q=${encodeURIComponent(q)}`, { headers });
      await answer.arrayBuffer();
      if (!answer.ok) throw new Error(`fleet search ${q}: ${answer.status}`);
      times.push(performance.now() - t0);
    }
    times.sort((a, b) => a - b);
    const p95 = percentile(times, 95);
    say(
      `  fleet     search at the BFF: ${queries.length} searches, p50 ${percentile(times, 50).toFixed(1)} ms, p95 ${p95.toFixed(1)} ms`,
    );
    record(
      'fleet: search at the BFF, p95',
      p95,
      'ms',
      `≤ ${fleetBudgets.searchP95Ms}`,
      p95 <= fleetBudgets.searchP95Ms,
    );

    // A policy change on every server, step-up first, as an admin does it.
    const stepUp = await fetch(`${url}/api/session/step-up`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ password: bff.credentials.password }),
    });
    if (!stepUp.ok) throw new Error(`fleet step-up: ${stepUp.status}`);
    const desired = JSON.parse(readFileSync(serversFile, 'utf8')) as unknown[];
    const t0 = Date.now();
    const change = await fetch(`${url}/api/fleet/changes`, {
      method: 'POST',
      headers: { ...headers, 'content-type': 'application/json' },
      body: JSON.stringify({ action: 'disable_policy', target: { all: true } }),
    });
    const lines = (await change.text())
      .trim()
      .split('\n')
      .map((line) => JSON.parse(line) as { type: string; result?: string });
    const changeMs = Date.now() - t0;
    const results = lines.filter((line) => line.type === 'result');
    const failed = results.filter((line) => line.result === 'failed').length;
    say(
      `  fleet     policy off on all: ${results.length}/${desired.length} results, ${failed} failed, in ${changeMs} ms`,
    );
    record(
      'fleet: policy change on every server, results',
      results.length - failed,
      'count',
      `${servers}`,
      results.length === servers && failed === 0,
    );
    record(
      `fleet: policy change on ${servers} servers`,
      changeMs,
      'ms',
      `≤ ${fleetBudgets.policyChangeMs}`,
      changeMs <= fleetBudgets.policyChangeMs,
    );
  } finally {
    await bff?.service.stop();
    await sim.stop();
  }
}
