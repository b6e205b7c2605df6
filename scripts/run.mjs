#!/usr/bin/env node
// The project's entry points (`npm start`, `npm test`, `pnpm sim`, `pnpm bench`, `pnpm whmapi1`).
// Plain Node with no dependencies, because it runs on a fresh clone before anything is installed: it
// finds or fetches pnpm, installs the workspace, installs the system tools the tests need, builds,
// then runs.
import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, rmSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const { packageManager } = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
const pnpmVersion = packageManager.replace(/^pnpm@/, '');
const isRoot = process.getuid?.() === 0;
const inCi = Boolean(process.env.CI);
process.env.TURBO_TELEMETRY_DISABLED = '1';
process.env.DO_NOT_TRACK = '1';

// `whmapi1` prints a document on stdout for scripts to read: its preparation talks on stderr.
let preparationToStderr = false;

function log(message) {
  (preparationToStderr ? process.stderr : process.stdout).write(`\n▶ ${message}\n`);
}

function fail(message) {
  process.stderr.write(`\n✖ ${message}\n`);
  process.exit(1);
}

function has(command) {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function run(command, args, options = {}) {
  const stdio = preparationToStderr ? ['ignore', 2, 'inherit'] : 'inherit';
  const result = spawnSync(command, args, { stdio, cwd: root, ...options });
  if (result.error) fail(`${command} could not start: ${result.error.message}`);
  return result.status ?? 1;
}

function mustRun(command, args, options) {
  const status = run(command, args, options);
  if (status !== 0) fail(`${command} ${args.join(' ')} exited with ${status}`);
}

/** A pnpm of the pinned major: the one on PATH if it fits, else fetched through npx (corepack is not relied on). */
function pnpmCommand() {
  const local = spawnSync('pnpm', ['--version'], { encoding: 'utf8' });
  if (local.status === 0 && local.stdout.trim().split('.')[0] === pnpmVersion.split('.')[0]) {
    return ['pnpm', []];
  }
  return ['npx', ['--yes', `pnpm@${pnpmVersion}`]];
}

const [pnpmBin, pnpmPrefix] = pnpmCommand();
const pnpm = (args, options) => run(pnpmBin, [...pnpmPrefix, ...args], options);
const mustPnpm = (args, options) => {
  const status = pnpm(args, options);
  if (status !== 0) fail(`pnpm ${args.join(' ')} exited with ${status}`);
};

function installWorkspace() {
  log('Installing the workspace (pnpm install)');
  mustPnpm(['install', '--frozen-lockfile', '--prefer-offline']);
}

function build(filters) {
  log('Building');
  mustPnpm(['exec', 'turbo', 'run', 'build', '--output-logs=errors-only', ...filters.map((f) => `--filter=${f}`)]);
}

/** Debian packages the test suite drives: an independent TOTP, a QR reader, Chromium, PostgreSQL. */
const systemTools = [
  { command: 'oathtool', pkg: 'oathtool', why: 'independent TOTP in the simulator tests' },
  { command: 'zbarimg', pkg: 'zbar-tools', why: 'reading the enrollment QR code in end-to-end tests' },
  { command: 'chromium', pkg: 'chromium', why: 'the end-to-end tests', optional: () => playwrightBrowserInstalled() },
  { command: 'pg_ctlcluster', pkg: 'postgresql', why: 'the PostgreSQL runs of the database tests' },
  { command: 'nginx', pkg: 'nginx', why: 'the deployment tests (TLS in front of the console) and the benchmark' },
  { command: 'systemd-analyze', pkg: 'systemd', why: 'checking the systemd unit in the deployment tests' },
  { command: 'openssl', pkg: 'openssl', why: 'the deployment tests make a TLS certificate' },
];

function playwrightBrowserInstalled() {
  const cache = join(process.env.HOME ?? '/root', '.cache', 'ms-playwright');
  return existsSync(cache) && readdirSync(cache).some((name) => name.startsWith('chromium'));
}

function installSystemTools() {
  const missing = systemTools.filter((tool) => !has(tool.command) && !tool.optional?.());
  if (missing.length === 0) return;
  const names = missing.map((tool) => tool.pkg);
  if (isRoot && has('apt-get')) {
    log(`Installing ${names.join(', ')} from Debian's packages`);
    mustRun('apt-get', ['update', '-qq']);
    mustRun('apt-get', ['install', '-y', '-qq', '--no-install-recommends', ...names], {
      env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' },
    });
    return;
  }
  fail(
    `Missing system tools: ${missing.map((t) => `${t.command} (${t.pkg}: ${t.why})`).join('; ')}.\n` +
      `Install them with: sudo apt-get install -y ${names.join(' ')}`,
  );
}

/** Starts the local PostgreSQL cluster when needed and makes a throwaway test database for this run. */
function preparePostgres() {
  if (process.env.TEST_DATABASE_URL) return { url: process.env.TEST_DATABASE_URL, drop: () => {} };
  if (!has('pg_lsclusters')) return undefined;
  const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).stdout.trim();
  const first = clusters.split('\n')[0]?.trim().split(/\s+/);
  if (!first || first.length < 4) return undefined;
  const [version, cluster, port, status] = first;
  if (status !== 'online') {
    log(`Starting PostgreSQL ${version}/${cluster}`);
    if (run('pg_ctlcluster', [version, cluster, 'start']) !== 0) return undefined;
  }
  const asPostgres = (sql) =>
    spawnSync('su', ['postgres', '-c', `psql -p ${port} -tAc "${sql}"`], { encoding: 'utf8' });
  if (!isRoot) return undefined;
  if (asPostgres("SELECT 1 FROM pg_roles WHERE rolname='console'").stdout.trim() !== '1') {
    asPostgres("CREATE ROLE console LOGIN PASSWORD 'console' CREATEDB");
  }
  // One database per run, so two runs on one machine (two clones, a CI run beside a developer's)
  // never drop each other's tables mid-test.
  const name = `console_test_${process.pid}_${Date.now().toString(36)}`;
  const created = asPostgres(`CREATE DATABASE ${name} OWNER console`);
  if (created.status !== 0) return undefined;
  return {
    url: `postgres://console:console@127.0.0.1:${port}/${name}`,
    drop: () => asPostgres(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`),
  };
}

function vitestReports() {
  const found = [];
  for (const group of ['apps', 'packages']) {
    const dir = join(root, group);
    if (!existsSync(dir)) continue;
    for (const name of readdirSync(dir)) {
      const file = join(dir, name, '.vitest-report.json');
      if (existsSync(file)) found.push(file);
    }
  }
  const deploy = join(root, 'deploy', '.vitest-report.json');
  if (existsSync(deploy)) found.push(deploy);
  return found;
}

function summarize() {
  let passed = 0;
  let failed = 0;
  let skipped = 0;
  for (const file of vitestReports()) {
    const report = JSON.parse(readFileSync(file, 'utf8'));
    passed += report.numPassedTests ?? 0;
    failed += (report.numFailedTests ?? 0) + (report.numFailedTestSuites ?? 0);
    skipped += (report.numPendingTests ?? 0) + (report.numTodoTests ?? 0);
  }
  const e2e = join(root, 'test-results', 'e2e-report.json');
  if (existsSync(e2e)) {
    const { stats } = JSON.parse(readFileSync(e2e, 'utf8'));
    passed += (stats?.expected ?? 0) + (stats?.flaky ?? 0);
    failed += stats?.unexpected ?? 0;
    skipped += stats?.skipped ?? 0;
  }
  return { passed, failed, skipped };
}

function test() {
  installWorkspace();
  installSystemTools();
  const database = preparePostgres();
  const databaseUrl = database?.url;
  if (!databaseUrl && inCi) fail('PostgreSQL is needed in CI for the database tests and could not be started');
  if (!databaseUrl) log('PostgreSQL is not available: the database tests run on PGlite only');
  for (const file of vitestReports()) rmSync(file);
  rmSync(join(root, 'test-results'), { recursive: true, force: true });
  mkdirSync(join(root, 'test-results'), { recursive: true });

  const env = { ...process.env, ...(databaseUrl ? { TEST_DATABASE_URL: databaseUrl } : {}) };
  build([]);
  log('Lint and typecheck');
  // `--only`: the build step above just built every package. Without it, the test run's
  // loose env mode gives the builds it depends on other hashes, and turbo builds them all again.
  const checks = pnpm(['exec', 'turbo', 'run', 'lint', 'typecheck', '--only', '--continue', '--concurrency=2'], { env });
  log('Unit, API and component tests (vitest)');
  const unit = pnpm(
    [
      'exec', 'turbo', 'run', 'test', '--only', '--continue', '--concurrency=1', '--env-mode=loose', '--',
      '--reporter=default', '--reporter=json', '--outputFile.json=.vitest-report.json',
    ],
    { env },
  );
  let e2e = 0;
  if (existsSync(join(root, 'playwright.config.ts')) && existsSync(join(root, 'e2e', 'tests'))) {
    log('End-to-end tests (Playwright, Chromium)');
    e2e = pnpm(['exec', 'playwright', 'test'], { env });
  }
  database?.drop();
  const { passed, failed, skipped } = summarize();
  process.stdout.write(`\nlint+typecheck: ${checks === 0 ? 'ok' : 'FAILED'}\n`);
  process.stdout.write(`tests: ${passed} passed, ${failed} failed, ${skipped} skipped\n`);
  const ok = checks === 0 && unit === 0 && e2e === 0 && passed > 0;
  process.exit(ok ? 0 : 1);
}

function exec(command, args, env = process.env) {
  const child = spawn(command, args, { stdio: 'inherit', cwd: root, env });
  const forward = (signal) => child.kill(signal);
  process.on('SIGINT', forward);
  process.on('SIGTERM', forward);
  child.on('exit', (code, signal) => process.exit(signal ? 1 : (code ?? 1)));
}

function sim(args) {
  installWorkspace();
  build(['@console/whm-sim']);
  exec(process.execPath, [join(root, 'apps/whm-sim/dist/cli.js'), ...args]);
}

function whmapi1(args) {
  preparationToStderr = true;
  installWorkspace();
  build(['@console/whm-cli']);
  exec(process.execPath, [join(root, 'apps/whm-cli/dist/cli.js'), ...args]);
}

/** The console's own process, from what `build-console` built: what `npm start` and systemd run. */
async function runConsole() {
  const main = join(root, 'apps/bff/dist/main.js');
  if (!existsSync(main) || !existsSync(join(root, 'apps/web/dist/index.html'))) {
    fail('The console is not built: run `npm run build-console` first.');
  }
  const runtime = await import('../apps/bff/runtime.mjs');
  exec(process.execPath, ['--enable-source-maps', ...runtime.nodeArgs, main], {
    ...process.env,
    ...runtime.env,
  });
}

/** Installs the workspace and builds what a server runs: the console, the SPA and the CLIs. */
function buildConsole() {
  installWorkspace();
  build(['@console/bff', '@console/web', '@console/whm-cli']);
}

async function start() {
  installWorkspace();
  build(['@console/bff', '@console/web']);
  await runConsole();
}

/** `serve`: the built console with no install and no build, for a service manager (docs/deploy.md). */
async function serve() {
  await runConsole();
}

/**
 * The operators and audit CLIs from the repository root, so a relative DATA_DIR means the same
 * directory as for `npm start` (run from apps/bff it would be apps/bff/.data).
 */
function bffCli(script) {
  return (args) => {
    preparationToStderr = true;
    const file = join(root, 'apps/bff/dist/cli', script);
    if (!existsSync(file)) {
      installWorkspace();
      build(['@console/bff']);
    }
    exec(process.execPath, [file, ...args]);
  };
}

function bench(args) {
  installWorkspace();
  installSystemTools();
  build([]);
  exec(process.execPath, [join(root, 'packages/bench/dist/run.js'), ...args]);
}

const [command, ...args] = process.argv.slice(2);
const commands = {
  start,
  serve,
  'build-console': buildConsole,
  test,
  sim,
  bench,
  whmapi1,
  operators: bffCli('operators.js'),
  'audit-verify': bffCli('audit-verify.js'),
};
const chosen = commands[command];
if (!chosen) fail(`usage: node scripts/run.mjs ${Object.keys(commands).join('|')} [args]`);
chosen(args);
