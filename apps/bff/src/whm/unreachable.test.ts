import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './upstream.js';

// A WHM whose TLS handshake never completes: connecting to it never finishes, like an address
// that swallows packets (which a test on loopback cannot make).
let silent: Server;
const sockets = new Set<Socket>();
let t: TestConsole;
let port: number;
beforeAll(async () => {
  silent = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => silent.listen(0, '127.0.0.1', resolve));
  port = (silent.address() as AddressInfo).port;
  t = await startTestConsole({
    env: { WHM_TIMEOUT_MS: '10000' },
    servers: [
      {
        id: 'far',
        label: 'Frankfurt 2',
        url: `https://127.0.0.1:${port}`,
        user: 'root',
        token: 'UNREACHABLETOKEN',
        demo: false,
      },
    ],
  });
});
afterAll(async () => {
  await t.close();
  for (const socket of sockets) socket.destroy();
  await new Promise((resolve) => silent.close(resolve));
});

describe('SECURITY 17: an unreachable WHM', () => {
  it('when WHM cannot be connected to, then reads and writes answer 502 naming the server within the connect timeout, not the answer timeout', async () => {
    const admin = await t.login('admin');
    for (const call of [
      () => admin.whm('twofactorauth_policy_status', '', 'far'),
      () => admin.whmWrite('twofactorauth_set_issuer', { issuer: 'Far' }, 'far'),
    ]) {
      const started = performance.now();
      const answer = await call();
      const elapsed = performance.now() - started;
      expect(answer.status, answer.text).toBe(502);
      expect(answer.json.code).toBe('upstream_unavailable');
      expect(answer.json.message).toContain('WHM server “Frankfurt 2” could not be reached');
      expect(elapsed).toBeLessThan(DEFAULT_CONNECT_TIMEOUT_MS + 1_000);
    }
    const audit = await admin.get('/api/audit?function=twofactorauth_set_issuer&limit=1');
    expect(audit.json.records[0]).toMatchObject({ kind: 'outcome', outcome: 'failure' });
  });
});
