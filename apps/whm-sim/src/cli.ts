#!/usr/bin/env node
import { CliUsageError } from './cli-args.js';
import { runCli } from './cli-main.js';

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`whm-sim: ${message}\n`);
  process.exit(error instanceof CliUsageError ? 2 : 1);
}

try {
  const running = await runCli(process.argv.slice(2), (line) => process.stdout.write(`${line}\n`));
  let stopping = false;
  const stop = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`${signal}: stopping the WHM simulator\n`);
    running.close().then(() => process.exit(0), fail);
  };
  // SIGUSR2, not an endpoint: a real WHM has no such route, so the simulated ones get none either.
  const { writeCalls } = running;
  if (writeCalls) process.on('SIGUSR2', () => void writeCalls().catch(fail));
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
} catch (error) {
  fail(error);
}
