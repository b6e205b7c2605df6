import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { CliUsageError, parseCliArgs } from './cli-args.js';
import { runCli, type RunningCli } from './cli-main.js';
import { planFleet, type FleetOptions } from './fleet.js';

const base: FleetOptions = {
  servers: 24,
  basePort: 0,
  host: '127.0.0.1',
  accounts: 100,
  seed: 7,
  unreachable: 2,
  slow: 1,
  slowMs: 2_000,
  latencyMs: 0,
  stateDir: undefined,
};

describe('a simulated fleet: the plan', () => {
  it('when planned twice with one seed, it is the same fleet; another seed, another', () => {
    expect(planFleet(base)).toEqual(planFleet(base));
    expect(planFleet({ ...base, seed: 8 })).not.toEqual(planFleet(base));
  });

  it('when planned, sizes, policies, issuers and coverage vary, and the last ones misbehave', () => {
    const plan = planFleet(base);
    expect(new Set(plan.map((server) => server.id)).size).toBe(24);
    for (const server of plan) {
      expect(server.accounts).toBeGreaterThanOrEqual(50);
      expect(server.accounts).toBeLessThanOrEqual(150);
    }
    expect(new Set(plan.map((server) => server.accounts)).size).toBeGreaterThan(10);
    expect(plan.some((server) => server.profile.policyEnabled)).toBe(true);
    expect(plan.some((server) => !server.profile.policyEnabled)).toBe(true);
    expect(new Set(plan.map((server) => server.profile.issuer ?? 'hostname')).size).toBeGreaterThan(
      2,
    );
    expect(new Set(plan.map((server) => server.profile.enrolledEvery)).size).toBeGreaterThan(4);
    expect(new Set(plan.flatMap((server) => server.tags)).size).toBe(3);
    expect(plan.filter((server) => server.unreachable).map((server) => server.id)).toEqual([
      'web23',
      'web24',
    ]);
    expect(plan.filter((server) => server.latencyMs === 2_000).map((server) => server.id)).toEqual([
      'web22',
    ]);
  });

  it('when the flags are wrong, it says which', () => {
    const usage = (argv: string[]) => {
      try {
        parseCliArgs(argv);
      } catch (error) {
        return error instanceof CliUsageError ? error.message.split('\n')[0] : 'other';
      }
      return 'accepted';
    };
    expect(usage(['--servers', '3'])).toContain('--servers-file');
    expect(usage(['--servers', '3', '--servers-file', 'f', '--token', 'T'])).toContain('own token');
    expect(usage(['--servers', '3', '--servers-file', 'f', '--unreachable', '4'])).toContain(
      '--unreachable',
    );
    expect(usage(['--token', 'T', '--seed', '3'])).toBe('--seed needs --servers N');
    expect(usage(['--servers', '3', '--servers-file', 'f'])).toBe('accepted');
  });
});

describe('a simulated fleet: running', () => {
  let dir: string;
  let running: RunningCli | undefined;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'whm-sim-fleet-'));
  });
  afterEach(async () => {
    await running?.close();
    running = undefined;
    await rm(dir, { recursive: true, force: true });
  });

  it('when started with --servers, each server answers with its own token and data, and the file names them all', async () => {
    const file = join(dir, 'servers.json');
    const lines: string[] = [];
    running = await runCli(
      [
        ...['--servers', '4', '--servers-file', file, '--port', '0', '--accounts', '30'],
        ...['--unreachable', '1', '--slow', '1', '--slow-ms', '400', '--seed', '3'],
        ...['--state', join(dir, 'state')],
      ],
      (line) => lines.push(line),
    );
    const entries = JSON.parse(await readFile(file, 'utf8')) as {
      id: string;
      url: string;
      user: string;
      tokenFile: string;
      tags: string[];
    }[];
    expect(entries.map((entry) => entry.id)).toEqual(['web01', 'web02', 'web03', 'web04']);
    expect(lines.join('\n')).toContain('UNREACHABLE');
    expect(lines.join('\n')).not.toMatch(/[0-9A-F]{40}/);
    const tokens = await Promise.all(
      entries.map(async (entry) => (await readFile(join(dir, entry.tokenFile), 'utf8')).trim()),
    );
    expect(new Set(tokens).size).toBe(4);
    expect((await stat(join(dir, entries[0]!.tokenFile))).mode & 0o077).toBe(0);

    const call = (index: number, token: string) =>
      fetch(`${entries[index]!.url}/json-api/listaccts?api.version=1&want=user,domain`, {
        headers: { authorization: `whm root:${token}` },
      });
    const first = await call(0, tokens[0]!);
    expect(first.status).toBe(200);
    const second = await call(1, tokens[1]!);
    const firstUsers = ((await first.json()) as { data: { acct: { user: string }[] } }).data.acct;
    const secondUsers = ((await second.json()) as { data: { acct: { user: string }[] } }).data.acct;
    expect(firstUsers.map((a) => a.user)).not.toEqual(secondUsers.map((a) => a.user));
    // One server's token is nothing to another.
    expect((await call(1, tokens[0]!)).status).not.toBe(200);
    const issuer = await fetch(
      `${entries[0]!.url}/json-api/twofactorauth_get_issuer?api.version=1`,
      {
        headers: { authorization: `whm root:${tokens[0]!}` },
      },
    );
    expect(((await issuer.json()) as { data: { issuer: string } }).data.issuer).toBeTruthy();

    const began = Date.now();
    expect((await call(2, tokens[2]!)).status).toBe(200);
    expect(Date.now() - began).toBeGreaterThanOrEqual(390);
    await expect(call(3, tokens[3]!)).rejects.toThrow();
    // Its state is kept per server.
    expect((await stat(join(dir, 'state', 'web01.json'))).size).toBeGreaterThan(1000);
  });

  it('when started with --calls-file, writing the counts says what each server received', async () => {
    const file = join(dir, 'servers.json');
    const callsFile = join(dir, 'calls.json');
    running = await runCli(
      ['--servers', '2', '--servers-file', file, '--port', '0', '--calls-file', callsFile],
      () => undefined,
    );
    const entries = JSON.parse(await readFile(file, 'utf8')) as { url: string }[];
    for (let i = 0; i < 2; i += 1) {
      await fetch(`${entries[0]!.url}/json-api/listaccts?api.version=1`);
    }
    await running.writeCalls?.();
    expect(JSON.parse(await readFile(callsFile, 'utf8'))).toEqual({
      web01: { listaccts: 2 },
      web02: {},
    });
  });
});
