import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, runCommand, startProcess, type Running } from './processes.js';

/**
 * docs/deploy.md, run as written: every `sh` block in order, in bash, with the guide's paths moved
 * into a scratch directory, the simulator standing in for WHM and the local PostgreSQL for the
 * database. `sh host` blocks change the machine (users, systemd, nginx); they are only read here.
 */
const GUIDE = readFileSync(join(repoRoot, 'docs/deploy.md'), 'utf8');
const PASSWORD = 'a-guide-test-password';
const SIM_TOKEN = 'GUIDETESTTOKEN0123456789ABCDEFG';

interface Block {
  kind: 'sh' | 'sh host';
  text: string;
  section: string;
}

function blocksOf(markdown: string): Block[] {
  const blocks: Block[] = [];
  let section = '';
  const lines = markdown.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i] ?? '';
    if (line.startsWith('## ')) section = line.slice(3);
    const fence = /^```(sh(?: host)?)$/.exec(line);
    if (!fence) continue;
    const body: string[] = [];
    for (i += 1; i < lines.length && lines[i] !== '```'; i++) body.push(lines[i] ?? '');
    blocks.push({ kind: fence[1] as Block['kind'], text: body.join('\n'), section });
  }
  return blocks;
}

const blocks = blocksOf(GUIDE);
const POSTGRES_SECTION = 'PostgreSQL, for several instances';

/** What a host block may do: make the user and directories, install the unit and the site, run them. */
const HOST_COMMAND =
  /^(cd \/opt\/twofactor-console|sudo (useradd|git clone|git pull|install -d|chown|chmod|cp|ln -s|nginx -t|systemctl|journalctl)( |$))/;

// `sudo -u postgres` becomes runuser (root only, as in CI); any other sudo just runs the command.
const SHELL_PRELUDE = `
sudo() {
  if [ "$1" = "-u" ]; then
    local user="$2"; shift 2
    if [ "$user" = postgres ]; then runuser -u postgres -- "$@"; return; fi
  fi
  "$@"
}
`;

let work: string;
let sim: Running;
let simUrl: string;
let consolePort: number;
const database = `tfc_guide_${process.pid}`;
const postgresUrl = process.env.TEST_DATABASE_URL;
const canRunPostgres = postgresUrl !== undefined && process.getuid?.() === 0;
if (process.env.CI === 'true' && !canRunPostgres) {
  throw new Error('CI must run the guide with PostgreSQL: TEST_DATABASE_URL and root are needed');
}

function localized(text: string): string {
  const port = postgresUrl ? new URL(postgresUrl).port || '5432' : '5432';
  return text
    .replaceAll('/opt/twofactor-console', repoRoot)
    .replaceAll('/etc/twofactor-console', join(work, 'etc/twofactor-console'))
    .replaceAll('/var/lib', join(work, 'var/lib'))
    .replaceAll('-C /etc ', `-C ${join(work, 'etc')} `)
    .replaceAll('/root/', `${join(work, 'root')}/`)
    .replaceAll('https://whm.example.com:2087', simUrl)
    .replaceAll('PASTE-THE-WHM-TOKEN', SIM_TOKEN)
    .replaceAll('PORT=8080', `PORT=${consolePort}`)
    .replaceAll('127.0.0.1:5432', `127.0.0.1:${port}`)
    .replaceAll('twofactor_console', database);
}

function runBlock(block: Block) {
  const script = localized(block.text);
  // Nothing may touch the real machine's directories if a path was missed above.
  expect(script, 'a path of the guide was not moved into the scratch directory').not.toMatch(
    /(^|[\s'"=:])\/(etc|var|root|opt)(\/|\s|$)/m,
  );
  const env = {
    CONSOLE_ENV_FILE: join(work, 'etc/twofactor-console/console.env'),
    DATA_DIR: join(work, 'var/lib/twofactor-console'),
    LOG_LEVEL: 'warn',
  };
  const result = runCommand('bash', ['-euo', 'pipefail', '-c', `${SHELL_PRELUDE}\n${script}`], {
    env,
    input: `${PASSWORD}\n`,
  });
  expect(result.status, `${block.section}:\n${script}\n${result.stdout}\n${result.stderr}`).toBe(0);
  return result;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'console-guide-'));
  // The PostgreSQL tools run as postgres and write their dump into root/.
  chmodSync(work, 0o755);
  for (const dir of ['etc/twofactor-console', 'var/lib', 'root']) {
    mkdirSync(join(work, dir), { recursive: true });
  }
  chmodSync(join(work, 'root'), 0o777);
  const simPort = await freePort();
  consolePort = await freePort();
  simUrl = `http://127.0.0.1:${simPort}`;
  sim = await startProcess(
    process.execPath,
    [
      'apps/whm-sim/dist/cli.js',
      ...['--port', String(simPort), '--token', SIM_TOKEN, '--accounts', '10'],
      ...['--state', join(work, 'sim.json')],
    ],
    {
      ready: async () =>
        (await fetch(`${simUrl}/json-api/version?api.version=1`).catch(() => undefined)) !==
        undefined,
    },
  );
}, 120_000);

afterAll(async () => {
  await sim?.stop();
  if (canRunPostgres) {
    runCommand('runuser', ['-u', 'postgres', '--', 'dropdb', '--if-exists', '--force', database]);
    runCommand('runuser', [
      '-u',
      'postgres',
      '--',
      'psql',
      '-c',
      `DROP ROLE IF EXISTS ${database}`,
    ]);
  }
  rmSync(work, { recursive: true, force: true });
});

describe('docs/deploy.md, command by command', () => {
  it('when the guide is read, then it has blocks to run, and its host blocks only install and run the service', () => {
    expect(blocks.filter((b) => b.kind === 'sh').length).toBeGreaterThan(8);
    for (const block of blocks.filter((b) => b.kind === 'sh host')) {
      for (const line of block.text.split('\n').filter((l) => l.trim() !== '')) {
        expect(line, block.section).toMatch(HOST_COMMAND);
      }
    }
  });

  it('when the helper loads the settings, then its DATA_DIR is the one the systemd unit sets', () => {
    const helper = readFileSync(join(repoRoot, 'deploy/with-console-env'), 'utf8');
    const unit = readFileSync(join(repoRoot, 'deploy/systemd/twofactor-console.service'), 'utf8');
    const fromHelper = /DATA_DIR:=([^}]+)\}/.exec(helper)?.[1];
    const fromUnit = /^Environment=DATA_DIR=(.+)$/m.exec(unit)?.[1];
    expect(fromHelper).toBeDefined();
    expect(fromHelper).toBe(fromUnit);
  });

  it('when every block up to PostgreSQL runs in order, then the console is built, set up, has its admin, and a restored backup verifies', () => {
    const outputs = blocks
      .filter((b) => b.kind === 'sh' && b.section !== POSTGRES_SECTION)
      .map((block) => runBlock(block));
    const all = outputs.map((o) => o.stdout + o.stderr).join('\n');
    expect(all).toContain('added alice (admin)');
    expect(all).toMatch(/^alice\s+admin\s+active/m);
    expect(all).toContain('"valid":true');
    // The servers file the guide writes is one the console accepts.
    const servers = JSON.parse(
      readFileSync(join(work, 'etc/twofactor-console/servers.json'), 'utf8'),
    ) as unknown[];
    expect(servers).toHaveLength(1);
  }, 300_000);

  it.runIf(canRunPostgres)(
    'when the PostgreSQL blocks run, then the console uses the new database: its operator is there and it dumps',
    () => {
      const outputs = blocks
        .filter((b) => b.kind === 'sh' && b.section === POSTGRES_SECTION)
        .map((block) => runBlock(block));
      expect(outputs.map((o) => o.stdout + o.stderr).join('\n')).toContain('added alice (admin)');
      const listed = runCommand(
        'runuser',
        [
          ...['-u', 'postgres', '--', 'psql', '-tA', '-d', database],
          ...['-c', 'SELECT username, role FROM operators'],
        ],
        {},
      );
      expect(listed.stdout.trim()).toBe('alice|admin');
      expect(readFileSync(join(work, 'root/twofactor-console.pgdump')).length).toBeGreaterThan(
        1000,
      );
    },
    120_000,
  );
});
