import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';

const packageDir = join(dirname(fileURLToPath(import.meta.url)), '..');
const cli = join(packageDir, 'dist', 'cli.js');

// The command runs as users run it: the built `dist/cli.js` in its own process. Building here
// keeps the test honest when the sources changed since the last build.
beforeAll(() => {
  const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');
  const built = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.build.json'], {
    cwd: packageDir,
    encoding: 'utf8',
  });
  expect(built.status, built.stdout + built.stderr).toBe(0);
}, 120_000);

let child: ChildProcess | undefined;
afterEach(async () => {
  if (child && child.exitCode === null) {
    child.kill('SIGTERM');
    await once(child, 'exit');
  }
  child = undefined;
});

/** Starts `whm-sim` and resolves with its URL once it listens, or with its exit when it fails. */
async function startCli(args: string[]): Promise<{ url?: string; code?: number; stderr: string }> {
  const started = spawn(process.execPath, [cli, '--port', '0', '--token', 'T', ...args], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child = started;
  let stderr = '';
  started.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const lines = createInterface({ input: started.stdout });
  return new Promise((resolve) => {
    lines.on('line', (line) => {
      const url = /listening on (\S+)/.exec(line)?.[1];
      if (url) resolve({ url, stderr });
    });
    started.on('exit', (code) => resolve({ code: code ?? 1, stderr }));
  });
}

async function listaccts(url: string, authorization: string) {
  const response = await fetch(new URL('/json-api/listaccts?api.version=1&want=user,owner', url), {
    headers: { authorization },
  });
  return {
    status: response.status,
    body: (await response.json().catch(() => undefined)) as
      { data?: { acct: { user: string; owner: string }[] } } | undefined,
  };
}

describe('whm-sim --reseller-token', () => {
  it('when started with --reseller-token reseller1:R, then that token lists only reseller1 and its accounts', async () => {
    const { url, stderr } = await startCli(['--reseller-token', 'reseller1:R']);
    expect(url, stderr).toBeDefined();
    const asReseller = await listaccts(url!, 'whm reseller1:R');
    expect(asReseller.status).toBe(200);
    const accounts = asReseller.body?.data?.acct ?? [];
    expect(accounts.length).toBeGreaterThan(1);
    for (const acct of accounts) {
      expect(acct.user === 'reseller1' || acct.owner === 'reseller1', acct.user).toBe(true);
    }
    const asRoot = await listaccts(url!, 'whm root:T');
    expect(asRoot.body?.data?.acct.length).toBeGreaterThan(accounts.length);
  });

  it('when the user is not a reseller of the seeded state, then it exits non-zero naming the user', async () => {
    const { url, code, stderr } = await startCli(['--reseller-token', 'root:R']);
    expect(url).toBeUndefined();
    expect(code).not.toBe(0);
    expect(stderr).toMatch(/--reseller-token: root is not a reseller.*reseller1/);
  });

  it('when the flag is not USER:TOKEN, then it exits with 2', async () => {
    const { code, stderr } = await startCli(['--reseller-token', 'reseller1']);
    expect(code).toBe(2);
    expect(stderr).toMatch(/--reseller-token must be USER:TOKEN/);
  });
});
