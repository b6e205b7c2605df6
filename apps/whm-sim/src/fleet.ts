import { createHash, randomBytes } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join, relative, dirname, resolve } from 'node:path';
import type { SeedProfile } from './seed.js';
import { startSimulator, type Simulator } from './simulator.js';

/** What `--servers N` is asked for. */
export interface FleetOptions {
  servers: number;
  /** The first server's port; the others follow it. 0: every server on a free port. */
  basePort: number;
  host: string;
  /** Accounts per server on average: sizes vary from half to one and a half times it. */
  accounts: number;
  /** Varies the fleet: the same seed makes the same fleet. */
  seed: number;
  /** How many servers (the last ones) are in the file but not listening. */
  unreachable: number;
  /** How many servers (before the unreachable ones) answer slowly, and how slowly. */
  slow: number;
  slowMs: number;
  latencyMs: number;
  /** Each server's state file goes here (`<id>.json`); without it, state lives in memory. */
  stateDir: string | undefined;
}

/** One server of the plan: what it is called, how it is seeded, how it misbehaves. */
export interface FleetServerPlan {
  id: string;
  hostname: string;
  label: string;
  tags: string[];
  accounts: number;
  profile: SeedProfile;
  unreachable: boolean;
  latencyMs: number;
}

export interface FleetServer extends FleetServerPlan {
  url: string;
  port: number;
  token: string;
  /** Absent for an unreachable server. */
  simulator: Simulator | undefined;
}

export interface Fleet {
  servers: FleetServer[];
  close(): Promise<void>;
}

/** A small deterministic generator (mulberry32): the plan must not change between runs. */
function generator(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}

const DATACENTERS = ['eu-west', 'us-east', 'ap-south'] as const;
const ISSUERS = ['Example Hosting', 'Acme Web Services', 'Northwind Cloud'] as const;

/** The fleet as a plan, before anything listens: varied sizes, policies, issuers and coverage. */
export function planFleet(options: FleetOptions): FleetServerPlan[] {
  const random = generator(options.seed);
  const plans: FleetServerPlan[] = [];
  const firstUnreachable = options.servers - options.unreachable;
  const firstSlow = firstUnreachable - options.slow;
  for (let index = 0; index < options.servers; index++) {
    const number = String(index + 1).padStart(2, '0');
    const id = `web${number}`;
    const hostname = `${id}.example.test`;
    const datacenter = DATACENTERS[Math.floor(index / 4) % DATACENTERS.length] ?? 'eu-west';
    const size = Math.round(options.accounts * (0.5 + random()));
    const policyEnabled = random() < 0.7;
    const issuerRoll = random();
    const issuer =
      issuerRoll < 0.5 ? undefined : ISSUERS[Math.floor(issuerRoll * 10) % ISSUERS.length];
    // From one in two (about half enrolled) to one in twelve.
    const enrolledEvery = 2 + Math.floor(random() * 11);
    plans.push({
      id,
      hostname,
      label: `${id} (simulated)`,
      tags: [datacenter],
      accounts: size,
      profile: {
        seed: options.seed * 1000 + index + 1,
        policyEnabled,
        ...(issuer === undefined ? {} : { issuer }),
        enrolledEvery,
      },
      unreachable: index >= firstUnreachable,
      latencyMs:
        index >= firstSlow && index < firstUnreachable ? options.slowMs : options.latencyMs,
    });
  }
  return plans;
}

/** Starts every reachable server of the plan, each with its own port, token, data and hostname. */
export async function startFleet(options: FleetOptions): Promise<Fleet> {
  const plans = planFleet(options);
  const servers: FleetServer[] = [];
  const close = async () => {
    await Promise.all(servers.map((server) => server.simulator?.close() ?? Promise.resolve()));
  };
  try {
    if (options.stateDir) await mkdir(options.stateDir, { recursive: true });
    for (const [index, plan] of plans.entries()) {
      const token = randomBytes(20).toString('hex').toUpperCase();
      const port = options.basePort === 0 ? 0 : options.basePort + index;
      if (plan.unreachable) {
        // In the file, not listening: a port of its own that nothing answers on.
        const reserved = await startSimulator({ host: options.host, port, rootToken: token });
        const url = reserved.url;
        const freed = reserved.port;
        await reserved.close();
        servers.push({ ...plan, url, port: freed, token, simulator: undefined });
        continue;
      }
      const simulator = await startSimulator({
        host: options.host,
        port,
        rootToken: token,
        accounts: plan.accounts,
        latencyMs: plan.latencyMs,
        hostname: plan.hostname,
        seed: plan.profile,
        ...(options.stateDir ? { stateFile: join(options.stateDir, `${plan.id}.json`) } : {}),
      });
      servers.push({ ...plan, url: simulator.url, port: simulator.port, token, simulator });
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { servers, close };
}

/**
 * The console's `WHM_SERVERS_FILE` for the fleet, with each token in a file of its own beside it
 * (mode 0600), as docs/deploy.md asks of real servers.
 */
export async function writeServersFile(fleet: Fleet, file: string): Promise<void> {
  const dir = dirname(resolve(file));
  const tokens = join(dir, 'tokens');
  await mkdir(tokens, { recursive: true, mode: 0o700 });
  const entries = [];
  for (const server of fleet.servers) {
    const tokenFile = join(tokens, `${server.id}.token`);
    await writeFile(tokenFile, `${server.token}\n`, { mode: 0o600 });
    entries.push({
      id: server.id,
      label: server.label,
      url: server.url,
      user: 'root',
      tokenFile: relative(dir, tokenFile),
      tags: server.tags,
    });
  }
  await writeFile(file, `${JSON.stringify(entries, null, 2)}\n`, { mode: 0o600 });
}

/** A short fingerprint of a token, for printing which token a server has without printing it. */
export function tokenFingerprint(token: string): string {
  return createHash('sha256').update(token).digest('hex').slice(0, 8);
}
