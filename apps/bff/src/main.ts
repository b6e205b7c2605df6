import { EnvError, parseEnv } from './env.js';
import { DEMO_OPERATORS, startConsole } from './console.js';
import { createLogger } from './logger.js';
import { PRODUCT_NAME } from './operators/sign-in-info.js';
import { setupLinkLines } from './setup/setup-service.js';

function print(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function main(): Promise<void> {
  let env;
  try {
    env = parseEnv();
  } catch (error) {
    if (error instanceof EnvError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(1);
    }
    throw error;
  }
  const logger = createLogger({ level: env.LOG_LEVEL });
  const running = await startConsole({ env, logger, simulatorOnWorker: true });
  print(`${PRODUCT_NAME}: ${running.url}`);
  // Standard output only, never the logger: the token must not reach log files or the journal.
  if (running.setupLink) setupLinkLines(running.url, running.setupLink).forEach(print);
  if (running.demo) {
    print(`Demo mode: the WHM simulator runs at ${running.simulatorUrl ?? '?'}`);
    const others = [...running.services.upstreams.values()].slice(1);
    if (others.length > 0) {
      print(
        `  and ${others.length} more simulated servers (the demo fleet): ${others.map((u) => `${u.server.id} ${u.server.url}`).join(', ')}`,
      );
    }
    if (running.generatedSimToken) {
      print(`  simulator root API token (generated for this demo): ${running.generatedSimToken}`);
    }
    if (running.hosted) {
      const { hosted } = running;
      print(
        `Hosted demo: everything resets every ${env.DEMO_RESET_MINUTES} minutes; the sign-ins (kept across resets):`,
      );
      for (const { username } of DEMO_OPERATORS) {
        print(`  ${username.padEnd(8)} ${hosted.passwordOf(username)}`);
      }
      print(
        env.DEMO_SHOW_SIGNINS
          ? '  the sign-in page shows them (DEMO_SHOW_SIGNINS=1)'
          : '  the sign-in page does not show them: hand them out yourself, or set DEMO_SHOW_SIGNINS=1',
      );
    } else {
      const password = env.CONSOLE_DEMO_PASSWORD === 'demo' ? 'demo' : '(CONSOLE_DEMO_PASSWORD)';
      print(`  sign in as admin, support or viewer with password ${password}`);
    }
  }
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running.close().then(
      () => logger.flush(() => process.exit(0)),
      (error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

main().catch((error: unknown) => {
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`the console could not start: ${message}\n`);
  process.exit(1);
});
