import { rename, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { CliUsageError, curlLine, parseCliArgs } from './cli-args.js';
import { startFleet, writeServersFile, type Fleet } from './fleet.js';
import { startSimulator, type Simulator } from './simulator.js';

export interface RunningCli {
  /** The one server; with --servers, the first reachable one of the fleet. */
  simulator: Simulator | undefined;
  /** With --servers: all of them. */
  fleet: Fleet | undefined;
  /** Where the self-signed certificate was written, with --tls. */
  caFile: string | undefined;
  /** With --calls-file: writes every server's call counts there (the CLI does it on SIGUSR2). */
  writeCalls: (() => Promise<void>) | undefined;
  close(): Promise<void>;
}

/**
 * `{"web01": {"listaccts": 3, ...}, ...}`: what each server of the fleet received, faulted and
 * refused calls included. Renamed into place, so a reader never sees half a file.
 */
export async function writeCallCounts(fleet: Fleet, file: string): Promise<void> {
  const counts = Object.fromEntries(
    fleet.servers.map((server) => [server.id, server.simulator?.calls.byFunction() ?? {}]),
  );
  const partial = `${file}.${process.pid}.tmp`;
  await writeFile(partial, `${JSON.stringify(counts)}\n`);
  await rename(partial, file);
}

async function runFleet(
  options: ReturnType<typeof parseCliArgs>,
  print: (line: string) => void,
): Promise<RunningCli> {
  const plan = options.fleet;
  if (!plan) throw new Error('not a fleet');
  const fleet = await startFleet({
    servers: plan.servers,
    basePort: options.port,
    host: options.host,
    accounts: options.accounts,
    seed: plan.seed,
    unreachable: plan.unreachable,
    slow: plan.slow,
    slowMs: plan.slowMs,
    latencyMs: options.latencyMs,
    stateDir: options.stateFile,
  });
  try {
    await writeServersFile(fleet, plan.serversFile);
  } catch (error) {
    await fleet.close();
    throw error;
  }
  const total = fleet.servers.reduce((sum, server) => sum + server.accounts, 0);
  print(
    `WHM simulator fleet: ${fleet.servers.length} servers, ${total} accounts, state: ${options.stateFile ?? 'in memory'}`,
  );
  for (const server of fleet.servers) {
    const notes = [
      server.tags.join(','),
      `${server.accounts} accounts`,
      server.profile.policyEnabled ? 'policy on' : 'policy off',
      server.unreachable ? 'UNREACHABLE' : '',
      server.latencyMs >= plan.slowMs && plan.slow > 0 ? `slow (${server.latencyMs} ms)` : '',
    ].filter(Boolean);
    print(`  ${server.id}  ${server.url}  ${notes.join(', ')}`);
  }
  print(`Servers file for the console: WHM_SERVERS_FILE=${plan.serversFile} (tokens beside it)`);
  const { callsFile } = plan;
  if (callsFile) print(`Calls per server: kill -USR2 ${process.pid} writes them to ${callsFile}`);
  return {
    simulator: fleet.servers.find((server) => server.simulator)?.simulator,
    fleet,
    caFile: undefined,
    writeCalls: callsFile ? () => writeCallCounts(fleet, callsFile) : undefined,
    close: () => fleet.close(),
  };
}

/** Starts the simulator from command-line flags and prints how to reach it. */
export async function runCli(
  argv: readonly string[],
  print: (line: string) => void,
): Promise<RunningCli> {
  const options = parseCliArgs(argv);
  if (options.fleet) return runFleet(options, print);
  const simulator = await startSimulator({
    host: options.host,
    port: options.port,
    rootToken: options.token,
    accounts: options.accounts,
    stateFile: options.stateFile,
    tls: options.tls,
    latencyMs: options.latencyMs,
  });
  for (const fault of options.faults) simulator.faults.set(fault);
  // Only the state knows who is a reseller, so this check waits for the simulator to open it.
  const resellers = simulator
    .accounts()
    .filter((acct) => acct.reseller)
    .map((acct) => acct.user);
  const stranger = options.resellerTokens.find(({ user }) => !resellers.includes(user));
  if (stranger) {
    await simulator.close();
    throw new CliUsageError(
      `--reseller-token: ${stranger.user} is not a reseller in this state (resellers: ${resellers.join(', ') || 'none'})`,
    );
  }
  for (const { user, token } of options.resellerTokens) simulator.addToken(user, token);
  let caFile: string | undefined;
  if (simulator.caCert) {
    caFile = options.stateFile
      ? `${options.stateFile}.ca.pem`
      : join(tmpdir(), `whm-sim-${simulator.port}.ca.pem`);
    await writeFile(caFile, simulator.caCert, { mode: 0o644 });
  }
  const state = options.stateFile ?? 'in memory';
  print(
    `WHM simulator listening on ${simulator.url} (${simulator.accounts().length} accounts, state: ${state})`,
  );
  print(curlLine(simulator.url, options.token, caFile));
  if (caFile) {
    print(`Self-signed certificate: ${caFile} (pin it with --cacert, or skip checks with curl -k)`);
  }
  if (options.resellerTokens.length > 0) {
    print(
      `Reseller tokens for: ${options.resellerTokens.map(({ user }) => user).join(', ')} (Authorization: whm USER:TOKEN)`,
    );
  }
  if (options.faults.length > 0) {
    print(`Faults: ${options.faults.map((f) => `${f.fn ?? '*'}:${f.mode}`).join(', ')}`);
  }
  return {
    simulator,
    fleet: undefined,
    caFile,
    writeCalls: undefined,
    close: () => simulator.close(),
  };
}
