import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { startSimulator } from '@console/whm-sim';

const MAIN = resolve(
  dirname(fileURLToPath(import.meta.url)),
  '..',
  'apps',
  'bff',
  'dist',
  'main.js',
);

export interface FirstRunStack {
  url: string;
  /** The setup link as the console printed it. */
  setupLink: string;
  /** Every line the console wrote to standard output so far (printed lines and JSON log lines). */
  stdout: () => readonly string[];
  close(): Promise<void>;
}

/**
 * What a new user runs: the built console (`apps/bff/dist/main.js`, as `npm start` runs it) in its
 * own process, against a WHM (the simulator, over HTTP, not demo mode), with no operator yet.
 */
export async function startFirstRunStack(): Promise<FirstRunStack> {
  const dir = mkdtempSync(join(tmpdir(), 'console-e2e-first-run-'));
  const whmToken = `E2EFIRSTRUN${randomBytes(12).toString('hex')}`;
  const simulator = await startSimulator({ rootToken: whmToken, accounts: 5 });
  const keyFile = join(dir, 'audit.key');
  writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
  const child = spawn(process.execPath, [MAIN], {
    env: {
      PATH: process.env.PATH ?? '',
      HOST: '127.0.0.1',
      PORT: '0',
      DATA_DIR: join(dir, 'data'),
      WHM_URL: simulator.url,
      WHM_USER: 'root',
      WHM_TOKEN: whmToken,
      AUDIT_KEY_FILE: keyFile,
      LOG_LEVEL: 'info',
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let stderr = '';
  const exited = new Promise<number | null>((resolveExit) => child.once('exit', resolveExit));
  const close = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    await simulator.close();
    rmSync(dir, { recursive: true, force: true });
  };
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const started = new Promise<{ url: string; setupLink: string }>((resolveStart, reject) => {
    let url: string | undefined;
    const timer = setTimeout(() => reject(new Error(`no setup link printed: ${stderr}`)), 30_000);
    child.stdout.on('data', (chunk: Buffer) => {
      const text = partial + chunk.toString('utf8');
      const complete = text.split('\n');
      partial = complete.pop() ?? '';
      for (const line of complete) {
        lines.push(line);
        url ??= /^Two-factor console: (\S+)$/.exec(line)?.[1];
        const link = /^\s+(\S+\/setup#token=\S+)$/.exec(line)?.[1];
        if (url && link) {
          clearTimeout(timer);
          resolveStart({ url, setupLink: link });
        }
      }
    });
    void exited.then((code) => {
      clearTimeout(timer);
      reject(new Error(`the console exited (${code}) before printing a setup link: ${stderr}`));
    });
  });
  try {
    const { url, setupLink } = await started;
    return { url, setupLink, stdout: () => lines, close };
  } catch (error) {
    await close();
    throw error;
  }
}
