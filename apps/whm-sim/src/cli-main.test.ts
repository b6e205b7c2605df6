import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { runCli, type RunningCli } from './cli-main.js';

let dir: string;
let running: RunningCli | undefined;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'whm-sim-cli-'));
});
afterEach(async () => {
  await running?.close();
  running = undefined;
  await rm(dir, { recursive: true, force: true });
});

/** Runs the printed curl line's request: same URL, same header. */
function parseCurl(line: string): { url: string; authorization: string } {
  const match = /-H 'Authorization: ([^']+)' '([^']+)'/.exec(line);
  if (!match?.[1] || !match[2]) throw new Error(`not a curl line: ${line}`);
  return { authorization: match[1], url: match[2] };
}

describe('the simulator command', () => {
  it('when started with the documented flags, then the printed curl line answers with the WHM envelope', async () => {
    const lines: string[] = [];
    const stateFile = join(dir, 'state.json');
    running = await runCli(
      ['--port', '0', '--token', 'T', '--accounts', '100', '--state', stateFile],
      (line) => lines.push(line),
    );
    expect(lines[0]).toMatch(
      /^WHM simulator listening on http:\/\/127\.0\.0\.1:\d+ \(100 accounts/,
    );
    const { url, authorization } = parseCurl(lines[1] ?? '');
    expect(authorization).toBe('whm root:T');
    const response = await fetch(url, { headers: { authorization } });
    expect(await response.json()).toEqual({
      metadata: { command: 'twofactorauth_policy_status', reason: 'OK', result: 1, version: 1 },
      data: { is_enabled: 0 },
    });
    expect(JSON.parse(await readFile(stateFile, 'utf8'))).toMatchObject({ version: 1 });
  });

  it('when started with --tls, then the certificate is written and the curl line pins it', async () => {
    const lines: string[] = [];
    running = await runCli(
      ['--port', '0', '--token', 'T', '--accounts', '3', '--state', join(dir, 's.json'), '--tls'],
      (line) => lines.push(line),
    );
    expect(running.caFile).toBe(join(dir, 's.json.ca.pem'));
    const ca = await readFile(running.caFile ?? '', 'utf8');
    expect(lines[1]).toContain(`--cacert '${running.caFile}'`);
    const { url, authorization } = parseCurl(lines[1] ?? '');
    const status = await new Promise<number>((resolve, reject) => {
      request(url, { ca, headers: { authorization }, agent: false }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      })
        .on('error', reject)
        .end();
    });
    expect(status).toBe(200);
  });

  it('when started with --fault, then the fault is active from the first call', async () => {
    const lines: string[] = [];
    running = await runCli(
      ['--port', '0', '--token', 'T', '--fault', 'twofactorauth_policy_status:status:503'],
      (line) => lines.push(line),
    );
    const { url, authorization } = parseCurl(lines[1] ?? '');
    expect((await fetch(url, { headers: { authorization } })).status).toBe(503);
    expect(lines.at(-1)).toBe('Faults: twofactorauth_policy_status:status');
  });
});
