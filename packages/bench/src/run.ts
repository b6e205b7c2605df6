import { fork, spawnSync, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import * as runtime from '../../../apps/bff/runtime.mjs';
import { measureAccountsView, type BrowserFigures } from './browser.js';
import { initialJavaScript } from './bundle.js';
import { benchDatabaseUrl } from './database.js';
import {
  median,
  runLoad,
  runMixedLoad,
  type LoadResult,
  type LoadTarget,
  type MixedLoadTarget,
} from './load.js';
import { nginxBinary, startNginx } from './nginx.js';
import { fleetPhase } from './fleet.js';
import { answers, freePort, startService, type Service } from './processes.js';
import type { SimChildMessage, SimChildReply } from './sim-child.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = resolve(here, '..', '..', '..');
const bffDist = join(repoRoot, 'apps', 'bff', 'dist');
const webDist = join(repoRoot, 'apps', 'web', 'dist');

const { values: flags } = parseArgs({
  options: {
    smoke: { type: 'boolean', default: false },
    seconds: { type: 'string' },
    rounds: { type: 'string' },
    accounts: { type: 'string' },
    out: { type: 'string' },
    // For work on one figure: e.g. `--only overhead --reads twofactorauth_policy_status`.
    only: { type: 'string' },
    reads: { type: 'string' },
    'memory-seconds': { type: 'string' },
    'memory-runs': { type: 'string' },
  },
});
const smoke = flags.smoke ?? false;
const seconds = Number(flags.seconds ?? (smoke ? 1 : 5));
const rounds = Number(flags.rounds ?? (smoke ? 1 : 3));
const accounts = Number(flags.accounts ?? 10_000);
const memorySeconds = Number(flags['memory-seconds'] ?? (smoke ? 3 : 60));
const warmupSeconds = smoke ? 0.5 : 2;
const memoryRuns = Number(flags['memory-runs'] ?? (smoke ? 1 : 3));
const connections = 50;
const phases = new Set(
  (flags.only ?? 'bundle,capacity,overhead,sharing,memory,browser,demo,fleet')
    .split(',')
    .map((p) => p.trim()),
);

const budgets = {
  capacityRps: 3_000,
  throughputRatio: 0.95,
  p50OverMs: 1,
  p99OverMs: 5,
  firstRowsMs: 1_500,
  /** The accounts view's /api answers on the wire, kB (1,000 bytes), cold load at 10,000 accounts. */
  apiWireKB: 250,
  throttledFirstRowsMs: 1_500,
  keystrokeMs: 50,
  longTasks: 0,
  initialJsGzipKiB: 120,
  rssMiB: 150,
  rssGrowthMiB: 15,
};

interface Figure {
  name: string;
  value: number;
  unit: string;
  budget: string;
  ok: boolean | null;
}
const figures: Figure[] = [];
/** Keeps small figures readable: 0.0042 stays 0.0042 (it used to print as 0). */
function rounded(value: number): number {
  if (!Number.isFinite(value)) return value;
  return Math.abs(value) >= 100 ? Math.round(value) : Number(value.toPrecision(3));
}
function record(name: string, value: number, unit: string, budget: string, ok: boolean | null) {
  figures.push({ name, value: rounded(value), unit, budget, ok });
}

function say(line: string) {
  process.stdout.write(`${line}\n`);
}

interface SimChild {
  url: string;
  child: ChildProcess;
  calls(fn?: string): Promise<number>;
  reset(): void;
  stop(): Promise<void>;
}

async function startSim(token: string, latencyMs: number): Promise<SimChild> {
  const child = fork(join(here, 'sim-child.js'), [token, String(accounts), String(latencyMs)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const ready = await new Promise<SimChildReply & { type: 'ready' }>((resolveReady, reject) => {
    child.once('exit', (code) => reject(new Error(`the simulator exited with ${code}`)));
    child.on('message', (message: SimChildReply) => {
      if (message.type === 'ready') resolveReady(message);
    });
  });
  const ask = (message: SimChildMessage) => child.send(message);
  return {
    url: ready.url,
    child,
    calls: (fn) =>
      new Promise((resolveCount) => {
        const listener = (message: SimChildReply) => {
          if (message.type !== 'calls') return;
          child.off('message', listener);
          resolveCount(message.count);
        };
        child.on('message', listener);
        ask({ type: 'calls', ...(fn ? { fn } : {}) });
      }),
    reset: () => ask({ type: 'reset' }),
    stop: () =>
      new Promise((resolveStop) => {
        if (child.exitCode !== null) return resolveStop();
        child.once('exit', () => resolveStop());
        child.kill('SIGTERM');
      }),
  };
}

export interface Bff {
  url: string;
  /** The server id the BFF names its WHM by: `main` with WHM_URL, `local` in demo mode. */
  server: string;
  cookie: string;
  credentials: { username: string; password: string };
  service: Service;
}

/** PostgreSQL for the BFF when one is reachable (see database.ts); else PGlite in its data dir. */
let databaseUrl: string | undefined;

/** Not a secret: the bench's console guards no real audit log. */
const BENCH_AUDIT_KEY = 'bench-audit-key-not-a-secret-0123456789abcdef';

async function startBff(
  simUrl: string,
  token: string,
  dataDir: string,
  database: 'postgres' | 'pglite' = databaseUrl ? 'postgres' : 'pglite',
  /** Instead of the one simulator: the fleet phase's servers file, and its own settings. */
  fleetEnv?: Record<string, string>,
): Promise<Bff> {
  const password = randomBytes(18).toString('base64url');
  // A fresh operator per BFF, so a database kept from an earlier run never holds a stale password.
  const username = `bench-${randomBytes(4).toString('hex')}`;
  // Outside demo mode the console needs its audit key (AUDIT_KEY_FILE, ADR 009). One fixed key
  // for every phase and run: they share the bench's kept PostgreSQL database and its audit chain.
  const auditKeyFile = join(dataDir, 'audit.key');
  mkdirSync(dataDir, { recursive: true });
  writeFileSync(auditKeyFile, BENCH_AUDIT_KEY, { mode: 0o600 });
  const env = {
    ...(database === 'postgres' && databaseUrl ? { DATABASE_URL: databaseUrl } : {}),
    DATA_DIR: dataDir,
    AUDIT_KEY_FILE: auditKeyFile,
    HOST: '127.0.0.1',
    ...(fleetEnv ?? { WHM_URL: simUrl, WHM_USER: 'root', WHM_TOKEN: token }),
    // Started as `npm start` starts it.
    ...runtime.env,
    LOG_LEVEL: 'warn',
    WEB_DIST_DIR: webDist,
  };
  const added = spawnSync(
    process.execPath,
    [join(bffDist, 'cli', 'operators.js'), 'add', username, 'admin'],
    { input: `${password}\n`, env: { ...process.env, ...env }, encoding: 'utf8' },
  );
  if (added.status !== 0) {
    throw new Error(`could not add the bench operator: ${added.stderr}${added.stdout}`);
  }
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_BFF_NODE_ARGS adds flags for profiling, e.g. '--cpu-prof --cpu-prof-dir=/tmp/prof'.
  const nodeArgs = [
    ...runtime.nodeArgs,
    ...(process.env.BENCH_BFF_NODE_ARGS?.split(' ').filter(Boolean) ?? []),
  ];
  const service = await startService(
    'bff',
    process.execPath,
    [...nodeArgs, join(bffDist, 'main.js')],
    {
      env: { ...env, PORT: String(port) },
      ready: () => answers(`${url}/healthz`),
    },
  );
  const cookie = await signIn(url, username, password);
  return { url, server: 'main', cookie, service, credentials: { username, password } };
}

async function signIn(url: string, username: string, password: string): Promise<string> {
  const login = await fetch(`${url}/api/session`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  });
  if (!login.ok) throw new Error(`bench sign-in failed: ${login.status} ${await login.text()}`);
  return (login.headers.get('set-cookie') ?? '').split(';')[0] ?? '';
}

/**
 * `npm start` with no WHM configured: the simulator runs inside the console's process (a worker
 * thread), on PGlite, signed in as the seeded demo admin. What a newcomer and a sales demo run.
 */
async function startDemoBff(
  latencyMs: number,
  dataDir: string,
): Promise<{ bff: Bff; simUrl: string; token: string }> {
  const token = randomBytes(16).toString('hex');
  const password = randomBytes(18).toString('base64url');
  const [port, simPort] = [await freePort(), await freePort()];
  const url = `http://127.0.0.1:${port}`;
  const service = await startService(
    'bff-demo',
    process.execPath,
    [...runtime.nodeArgs, join(bffDist, 'main.js')],
    {
      env: {
        DATA_DIR: dataDir,
        HOST: '127.0.0.1',
        PORT: String(port),
        WHM_SIM_PORT: String(simPort),
        WHM_SIM_TOKEN: token,
        WHM_SIM_ACCOUNTS: String(accounts),
        WHM_SIM_LATENCY_MS: String(latencyMs),
        CONSOLE_DEMO_PASSWORD: password,
        ...runtime.env,
        LOG_LEVEL: 'warn',
        WEB_DIST_DIR: webDist,
      },
      ready: () => answers(`${url}/healthz`),
    },
  );
  const cookie = await signIn(url, 'admin', password);
  return {
    bff: { url, server: 'local', cookie, service, credentials: { username: 'admin', password } },
    simUrl: `http://127.0.0.1:${simPort}`,
    token,
  };
}

const allReads: { fn: string; query: string }[] = [
  { fn: 'twofactorauth_policy_status', query: '' },
  { fn: 'twofactorauth_get_user_configs', query: '' },
  { fn: 'listaccts', query: 'want=user,domain,owner,plan,suspended' },
];
const reads = flags.reads
  ? allReads.filter((read) => flags.reads?.split(',').includes(read.fn))
  : allReads;

function targets(
  read: (typeof reads)[number],
  directUrl: string,
  token: string,
  bff: Bff,
  references: References,
): LoadTarget[] {
  const whmPath = `/json-api/${read.fn}?api.version=1${read.query ? `&${read.query}` : ''}`;
  const auth = { authorization: `whm root:${token}` };
  const list: LoadTarget[] = [
    { label: 'direct', url: `${directUrl}${whmPath}`, headers: auth },
    {
      label: 'bff',
      url: `${bff.url}/api/servers/${bff.server}/whm/${read.fn}${read.query ? `?${read.query}` : ''}`,
      headers: { cookie: bff.cookie, 'x-csrf': '1' },
    },
  ];
  for (const [label, url] of Object.entries(references)) {
    if (url) list.push({ label, url: `${url}${whmPath}`, headers: auth });
  }
  return list;
}

/** Proxies in front of the same simulator, measured beside the BFF: what a hop costs here. */
interface References {
  /** nginx, when the machine has it: a C proxy. */
  nginx?: string | undefined;
  /** The BFF's proxy library on a bare Node.js server (node-proxy-child.ts): a Node hop. */
  node?: string | undefined;
}

/** The reference Node.js hop, in its own process, started with the BFF's Node flags. */
async function startNodeProxy(simUrl: string): Promise<{ service: Service; url: string }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const service = await startService(
    'node-proxy',
    process.execPath,
    [...runtime.nodeArgs, join(here, 'node-proxy-child.js'), new URL(simUrl).port, String(port)],
    { ready: () => answers(url) },
  );
  return { service, url };
}

/**
 * Waits until the simulator has worked off what the last side left it. autocannon drops its
 * unfinished requests at the end of a run, but the simulator still answers them: after the direct
 * side of a 10,000-account read that is ~50 answers, half a second of work, and the side that ran
 * next had its first calls wait behind it (its p99 was the direct side's p50). One direct request
 * comes back only after the backlog; a second one is the proof it is gone.
 */
async function settle(list: LoadTarget[]): Promise<void> {
  const direct = list.find((target) => target.label === 'direct');
  if (!direct) return;
  for (let probe = 0; probe < 2; probe += 1) {
    const answer = await fetch(direct.url, { headers: direct.headers });
    await answer.arrayBuffer();
  }
}

/** Rounds alternate the sides (and rotate who goes first) so drift on the machine hits all alike. */
async function compare(
  list: LoadTarget[],
  bff?: Bff,
): Promise<{ byLabel: Map<string, LoadResult>; bffCpuMicrosPerRequest: number }> {
  const results = new Map<string, LoadResult[]>();
  const bffCpu: number[] = [];
  // Unrecorded warm-up of every side first: JIT, keep-alive sockets and caches, not the first
  // second of a cold process, are what the rounds compare.
  for (const target of list) {
    await runLoad(target, { connections, seconds: warmupSeconds });
    await settle(list);
  }
  for (let round = 0; round < rounds; round += 1) {
    const order = [...list.slice(round % list.length), ...list.slice(0, round % list.length)];
    for (const target of order) {
      const cpuBefore = target.label === 'bff' ? bff?.service.cpuSeconds() : undefined;
      const result = await runLoad(target, { connections, seconds });
      await settle(list);
      results.set(target.label, [...(results.get(target.label) ?? []), result]);
      if (bff && cpuBefore !== undefined && result.total > 0)
        bffCpu.push(((bff.service.cpuSeconds() - cpuBefore) * 1e6) / result.total);
    }
  }
  const sortedCpu = bffCpu.sort((a, b) => a - b);
  return {
    byLabel: new Map([...results].map(([label, list]) => [label, median(list)])),
    bffCpuMicrosPerRequest: sortedCpu[Math.floor(sortedCpu.length / 2)] ?? Number.NaN,
  };
}

function printLoad(phase: string, fn: string, byLabel: Map<string, LoadResult>) {
  for (const result of byLabel.values()) {
    say(
      `  ${phase.padEnd(9)} ${fn.padEnd(31)} ${result.label.padEnd(7)} ` +
        `${result.requestsPerSecond.toFixed(0).padStart(7)} req/s  p50 ${String(result.p50).padStart(4)} ms  ` +
        `p99 ${String(result.p99).padStart(4)} ms  errors ${result.errors + result.non2xx}`,
    );
  }
}

/** A browser's Accept-Encoding (Chromium's), so the BFF compresses its big answers (ADR 013). */
const BROWSER_ACCEPT_ENCODING = 'gzip, deflate, br, zstd';

/**
 * The BFF as the SPA reads it: the same read with a browser's Accept-Encoding. Judged by the same
 * budgets as the plain side, so compression cannot undo them unseen.
 */
function compressedSide(read: (typeof reads)[number], bff: Bff): LoadTarget {
  const plain = targets(read, '', '', bff, {}).find((target) => target.label === 'bff')!;
  return {
    ...plain,
    label: 'bff-br',
    headers: { ...plain.headers, 'accept-encoding': BROWSER_ACCEPT_ENCODING },
  };
}

/** `latency` prefixes the p50/p99 figures: the plain side keeps the names they always had. */
const BFF_SIDES = [
  { label: 'bff', name: 'BFF', latency: '' },
  { label: 'bff-br', name: 'BFF compressed', latency: 'BFF compressed ' },
] as const;

function recordBffSide(
  phase: 'capacity' | 'overhead',
  fn: string,
  side: (typeof BFF_SIDES)[number],
  viaBff: LoadResult,
  direct: LoadResult,
  references: Map<string, LoadResult>,
) {
  const { name, latency } = side;
  // A side that completed nothing in a round failed it (autocannon drops unfinished requests).
  const failed = viaBff.errors + viaBff.non2xx + viaBff.emptyRounds;
  record(`${phase} ${fn} ${name} errors`, failed, 'count', '0', failed === 0);
  const ratio = viaBff.requestsPerSecond / direct.requestsPerSecond;
  if (phase === 'capacity') {
    const isSmall = fn === 'twofactorauth_policy_status';
    record(
      `capacity ${fn} ${name}`,
      viaBff.requestsPerSecond,
      'req/s',
      isSmall ? `≥ ${budgets.capacityRps}` : 'report',
      isSmall ? viaBff.requestsPerSecond >= budgets.capacityRps : null,
    );
    record(`capacity ${fn} ${name}/direct`, ratio, 'ratio', 'report', null);
    if (name === 'BFF') {
      for (const [label, result] of references)
        record(`capacity ${fn} ${label}`, result.requestsPerSecond, 'req/s', 'reference', null);
    }
    return;
  }
  if (name === 'BFF') {
    for (const [label, result] of references)
      record(
        `overhead ${fn} ${label} p99 above direct`,
        result.p99 - direct.p99,
        'ms',
        'reference',
        null,
      );
  }
  record(
    `overhead ${fn} ${name}/direct throughput`,
    ratio,
    'ratio',
    `≥ ${budgets.throughputRatio}`,
    ratio >= budgets.throughputRatio,
  );
  record(
    `overhead ${fn} ${latency}p50 above direct`,
    viaBff.p50 - direct.p50,
    'ms',
    `≤ ${budgets.p50OverMs}`,
    viaBff.p50 - direct.p50 <= budgets.p50OverMs,
  );
  record(
    `overhead ${fn} ${latency}p99 above direct`,
    viaBff.p99 - direct.p99,
    'ms',
    `≤ ${budgets.p99OverMs}`,
    viaBff.p99 - direct.p99 <= budgets.p99OverMs,
  );
}

async function loadPhase(phase: 'capacity' | 'overhead', latencyMs: number, workDir: string) {
  const token = randomBytes(16).toString('hex');
  const sim = await startSim(token, latencyMs);
  const bff = await startBff(sim.url, token, join(workDir, phase));
  const nginx = nginxBinary();
  const proxy = nginx
    ? await startNginx(nginx, join(workDir, `nginx-${phase}`), Number(new URL(sim.url).port))
    : undefined;
  const nodeProxy = await startNodeProxy(sim.url);
  say(
    `\n${phase}: simulator ${accounts} accounts, latency ${latencyMs} ms, ${connections} connections, ${rounds}×${seconds} s per side`,
  );
  try {
    for (const read of phases.has(phase) ? reads : []) {
      const referenceUrls: References = {
        nginx: proxy?.url,
        // The small read only: it is what the p99 budget judges, and on the 10,000-account
        // reads (8.7 MB each) the bare proxy completed nothing within a 5 s round.
        node: read.fn === 'twofactorauth_policy_status' ? nodeProxy.url : undefined,
      };
      const { byLabel, bffCpuMicrosPerRequest } = await compare(
        [...targets(read, sim.url, token, bff, referenceUrls), compressedSide(read, bff)],
        bff,
      );
      printLoad(phase, read.fn, byLabel);
      // Not judged: the BFF's own CPU per answer, steadier than a p99 on a shared machine, so a
      // change on the hot path shows its cost even when the latencies are noisy.
      record(
        `${phase} ${read.fn} BFF CPU per request`,
        bffCpuMicrosPerRequest,
        'µs',
        'report',
        null,
      );
      const direct = byLabel.get('direct');
      if (!direct) continue;
      const references = new Map([...byLabel].filter(([label]) => label in referenceUrls));
      for (const side of BFF_SIDES) {
        const viaBff = byLabel.get(side.label);
        if (viaBff) recordBffSide(phase, read.fn, side, viaBff, direct, references);
      }
    }
    if (phases.has(phase) && phases.has('sharing')) await sharingBurst(phase, sim, bff);
    if (phase === 'overhead' && phases.has('memory'))
      await memoryPhase(bff, sim.url, token, workDir);
    if (phase === 'overhead' && phases.has('browser') && existsSync(join(webDist, 'index.html')))
      await browserPhase(bff);
  } finally {
    // The BFF runs at LOG_LEVEL=warn: anything it wrote is a fault worth seeing (502/504 causes).
    const log = bff.service
      .output()
      .split('\n')
      .filter((line) => line.startsWith('{'))
      .slice(-10);
    if (log.length > 0) say(`  BFF log (last lines, ${phase}):\n${log.join('\n')}`);
    await proxy?.service.stop();
    await nodeProxy.service.stop();
    await bff.service.stop();
    await sim.stop();
  }
}

/**
 * The overhead figures again in demo mode (simulator in the console's process). Reported, not
 * judged: the budgets are for the topology a user deploys, which `loadPhase('overhead')` measures.
 */
async function demoOverheadPhase(latencyMs: number, workDir: string) {
  const demo = await startDemoBff(latencyMs, join(workDir, 'demo'));
  say(
    `\noverhead (demo mode, simulator in the console's process): ${accounts} accounts, latency ${latencyMs} ms, ${connections} connections, ${rounds}×${seconds} s per side`,
  );
  try {
    for (const read of reads) {
      const { byLabel } = await compare(targets(read, demo.simUrl, demo.token, demo.bff, {}));
      printLoad('demo', read.fn, byLabel);
      const direct = byLabel.get('direct');
      const viaBff = byLabel.get('bff');
      if (!direct || !viaBff) continue;
      const failed = viaBff.errors + viaBff.non2xx + viaBff.emptyRounds;
      record(`demo ${read.fn} BFF errors`, failed, 'count', '0', failed === 0);
      const name = `demo overhead ${read.fn}`;
      record(
        `${name} BFF/direct throughput`,
        viaBff.requestsPerSecond / direct.requestsPerSecond,
        'ratio',
        'report',
        null,
      );
      record(`${name} p50 above direct`, viaBff.p50 - direct.p50, 'ms', 'report', null);
      record(`${name} p99 above direct`, viaBff.p99 - direct.p99, 'ms', 'report', null);
    }
  } finally {
    await demo.bff.service.stop();
  }
}

/** Upstream calls the simulator saw for a burst of identical BFF reads (shared in-flight reads). */
async function sharingBurst(phase: string, sim: SimChild, bff: Bff) {
  sim.reset();
  const burst = await runLoad(
    {
      label: 'bff',
      url: `${bff.url}/api/servers/${bff.server}/whm/twofactorauth_get_user_configs`,
      headers: { cookie: bff.cookie, 'x-csrf': '1' },
    },
    { connections, seconds: Math.min(seconds, 3) },
  );
  const upstream = await sim.calls('twofactorauth_get_user_configs');
  // Requests autocannon abandoned at the end of the burst may still have reached WHM.
  const answered = burst.total;
  say(
    `  sharing   get_user_configs: ${answered} BFF reads answered, ${upstream} upstream calls at the simulator`,
  );
  record(`${phase} BFF reads in burst (get_user_configs)`, answered, 'count', 'report', null);
  record(
    `${phase} upstream calls seen by the simulator (get_user_configs)`,
    upstream,
    'count',
    'report',
    null,
  );
  record(
    `${phase} upstream calls per BFF read (get_user_configs)`,
    answered ? upstream / answered : Number.NaN,
    'ratio',
    'report',
    null,
  );
}

/** The three reads, mixed: big answers are what a BFF holds in memory. */
function memoryLoad(bff: Bff): MixedLoadTarget {
  return {
    label: 'bff',
    url: bff.url,
    headers: { cookie: bff.cookie, 'x-csrf': '1' },
    paths: reads.map(
      (read) => `/api/servers/${bff.server}/whm/${read.fn}${read.query ? `?${read.query}` : ''}`,
    ),
  };
}

async function residentAfterLoad(bff: Bff, label: string, runs: number): Promise<number[]> {
  const rss: number[] = [];
  for (let run = 0; run < runs; run += 1) {
    await runMixedLoad(memoryLoad(bff), { connections, seconds: memorySeconds });
    rss.push(bff.service.rssMiB());
    say(
      `  memory    ${label} run ${run + 1}: BFF resident ${rss.at(-1)?.toFixed(1)} MiB after ${memorySeconds} s of load`,
    );
  }
  return rss;
}

/**
 * The budget is judged on PostgreSQL, the configuration DESIGN.md names for several instances
 * (PGlite's WebAssembly heap alone is 128 MB or more); PGlite's figure is reported beside it.
 */
async function memoryPhase(bff: Bff, simUrl: string, token: string, workDir: string) {
  const judged = databaseUrl ? 'PostgreSQL' : 'PGlite';
  const rss = await residentAfterLoad(bff, judged, memoryRuns);
  const last = rss.at(-1) ?? 0;
  record(
    `BFF resident memory after load (${judged})`,
    last,
    'MiB',
    `≤ ${budgets.rssMiB}`,
    last <= budgets.rssMiB,
  );
  if (rss.length > 1) {
    const growth = last - (rss[0] ?? 0);
    record(
      `BFF memory growth across runs (${judged})`,
      growth,
      'MiB',
      `≤ ${budgets.rssGrowthMiB}`,
      growth <= budgets.rssGrowthMiB,
    );
  }
  if (!databaseUrl) return;
  const pglite = await startBff(simUrl, token, join(workDir, 'memory-pglite'), 'pglite');
  try {
    const pgliteRss = await residentAfterLoad(pglite, 'PGlite', 1);
    record(
      'BFF resident memory after load (PGlite, not judged)',
      pgliteRss.at(-1) ?? 0,
      'MiB',
      'report',
      null,
    );
  } finally {
    await pglite.service.stop();
  }
}

async function browserPhase(bff: Bff) {
  let result: BrowserFigures;
  try {
    result = await measureAccountsView(bff.url, bff.credentials);
  } catch (error) {
    say(`  browser   could not measure: ${error instanceof Error ? error.message : String(error)}`);
    record('accounts view measured', 0, 'bool', 'measured', false);
    return;
  }
  say(
    `  browser   first rows ${result.firstRowsMs.toFixed(0)} ms, keystroke ${result.keystrokeMs.toFixed(1)} ms, long tasks while scrolling ${result.longTasksWhileScrolling} (longest ${result.longestTaskMs.toFixed(0)} ms)`,
  );
  record(
    'accounts view: first rows after navigation',
    result.firstRowsMs,
    'ms',
    `≤ ${budgets.firstRowsMs}`,
    result.firstRowsMs <= budgets.firstRowsMs,
  );
  record(
    'accounts view: filter keystroke',
    result.keystrokeMs,
    'ms',
    `≤ ${budgets.keystrokeMs}`,
    result.keystrokeMs <= budgets.keystrokeMs,
  );
  record(
    'accounts view: long tasks while scrolling',
    result.longTasksWhileScrolling,
    'count',
    `≤ ${budgets.longTasks}`,
    result.longTasksWhileScrolling <= budgets.longTasks,
  );
  record('accounts view: longest task while scrolling', result.longestTaskMs, 'ms', 'report', null);

  const { wire } = result;
  for (const response of wire.responses) {
    say(
      `  wire      ${response.path.slice(0, 60).padEnd(60)} ${response.encoding.padEnd(8)} ${String(response.bytes).padStart(9)} B  done at ${response.finishedMs.toFixed(0).padStart(5)} ms`,
    );
  }
  const apiKB = wire.apiBytes / 1000;
  const assetKB = wire.assetBytes / 1000;
  say(
    `  browser   over 10 Mbit/s, 50 ms RTT, cold cache: first rows ${result.throttledFirstRowsMs.toFixed(0)} ms; on the wire /api ${apiKB.toFixed(1)} kB, page and assets ${assetKB.toFixed(1)} kB`,
  );
  record(
    'accounts view: bytes on the wire, /api answers (cold load)',
    apiKB,
    'kB',
    `≤ ${budgets.apiWireKB}`,
    apiKB <= budgets.apiWireKB,
  );
  record(
    'accounts view: bytes on the wire, page and SPA assets (cold load)',
    assetKB,
    'kB',
    'report',
    null,
  );
  record(
    'accounts view: first rows over 10 Mbit/s, 50 ms RTT (cold cache)',
    result.throttledFirstRowsMs,
    'ms',
    `≤ ${budgets.throttledFirstRowsMs}`,
    result.throttledFirstRowsMs <= budgets.throttledFirstRowsMs,
  );
}

async function main() {
  if (!existsSync(join(bffDist, 'main.js')))
    throw new Error('build first: apps/bff/dist is missing');
  const workDir = mkdtempSync(join(tmpdir(), 'console-bench-'));
  const database = benchDatabaseUrl();
  databaseUrl = database?.url;
  say(
    database
      ? `BFF database: PostgreSQL (${database.source})`
      : 'BFF database: PGlite (no PostgreSQL reachable: set BENCH_DATABASE_URL)',
  );
  try {
    if (phases.has('bundle') && existsSync(join(webDist, 'index.html'))) {
      const bundle = initialJavaScript(webDist);
      const kib = bundle.initialGzipBytes / 1024;
      say(
        `SPA initial JavaScript: ${kib.toFixed(1)} KiB gzip (${bundle.files.map((f) => f.file).join(', ')})`,
      );
      record(
        'SPA initial JavaScript (gzip)',
        kib,
        'KiB',
        `≤ ${budgets.initialJsGzipKiB}`,
        kib <= budgets.initialJsGzipKiB,
      );
    }
    if (phases.has('capacity')) await loadPhase('capacity', 0, workDir);
    if (['overhead', 'memory', 'browser'].some((p) => phases.has(p)))
      await loadPhase('overhead', 20, workDir);
    if (phases.has('demo')) await demoOverheadPhase(20, workDir);
    if (phases.has('fleet')) {
      await fleetPhase({
        workDir,
        smoke,
        say,
        record,
        startBff: (dataDir, env) => startBff('', '', dataDir, undefined, env),
        postgres: databaseUrl !== undefined,
        spa: existsSync(join(webDist, 'index.html')),
      });
    }
  } finally {
    rmSync(workDir, { recursive: true, force: true });
  }

  say('\n| figure | value | unit | budget | verdict |\n|---|---:|---|---|---|');
  for (const f of figures) {
    const verdict = f.ok === null ? '' : f.ok ? 'ok' : 'MISSED';
    say(
      `| ${f.name} | ${f.value} | ${f.unit} | ${f.budget} | ${smoke && f.ok !== null ? `${verdict} (smoke: not judged)` : verdict} |`,
    );
  }
  const out =
    flags.out ??
    join(repoRoot, 'bench-results', `bench-${new Date().toISOString().replace(/[:.]/g, '-')}.json`);
  mkdirSync(dirname(out), { recursive: true });
  writeFileSync(
    out,
    JSON.stringify({ smoke, accounts, seconds, rounds, connections, budgets, figures }, null, 2),
  );
  say(`\nresults: ${out}`);
  const missed = figures.filter((f) => f.ok === false);
  if (!smoke && missed.length > 0) {
    say(`${missed.length} budget(s) missed: ${missed.map((f) => f.name).join('; ')}`);
    process.exit(1);
  }
}

await main();
