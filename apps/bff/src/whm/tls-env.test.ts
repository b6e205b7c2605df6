import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@console/whm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

const TOKEN = 'ENVTLSTOKEN123';
let simulator: Simulator;
let t: TestConsole;
beforeAll(async () => {
  simulator = await startSimulator({ rootToken: TOKEN, tls: true, accounts: 4 });
  const dir = mkdtempSync(join(tmpdir(), 'bff-tls-'));
  writeFileSync(join(dir, 'ca.pem'), simulator.caCert!);
  writeFileSync(join(dir, 'token'), `${TOKEN}\n`);
  t = await startTestConsole({
    env: {
      WHM_URL: simulator.url,
      WHM_USER: 'root',
      WHM_TOKEN_FILE: join(dir, 'token'),
      WHM_CA_FILE: join(dir, 'ca.pem'),
      WHM_LABEL: 'Pinned',
    },
  });
});
afterAll(async () => {
  await t?.close();
  await simulator?.close();
});

describe('SECURITY 1, 3: a real WHM from the environment', () => {
  it('when WHM_URL, WHM_TOKEN_FILE and WHM_CA_FILE are set, then TLS is verified against the pinned certificate and calls work', async () => {
    const viewer = await t.login('viewer');
    const servers = await viewer.get('/api/servers');
    expect(servers.json).toEqual({
      servers: [{ id: 'main', label: 'Pinned', demo: false, tags: [] }],
    });
    const accounts = await viewer.whm('listaccts', 'want=user', 'main');
    expect(accounts.status, accounts.text).toBe(200);
    expect(simulator.calls.count('listaccts')).toBe(1);
    expect(t.running.demo).toBe(false);
  });
});
