import { connect } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

const REQUEST_TIMEOUT_MS = 1_500;
/** Node checks connections for expiry once a second (console.ts); then the close is on its way. */
const SLACK_MS = 1_500;

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole({ env: { REQUEST_TIMEOUT_MS: String(REQUEST_TIMEOUT_MS) } });
});
afterAll(async () => {
  await t.close();
});

/** Sends `head` on a raw socket, then nothing more; resolves with what came back and when. */
function stall(head: string): Promise<{ ms: number; answer: string }> {
  const { port } = t.running;
  return new Promise((resolve, reject) => {
    const started = Date.now();
    const socket = connect(port, '127.0.0.1', () => socket.write(head));
    let answer = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => (answer += chunk));
    socket.on('error', reject);
    socket.on('close', () => resolve({ ms: Date.now() - started, answer }));
    setTimeout(() => {
      socket.destroy();
      reject(new Error(`still open after ${REQUEST_TIMEOUT_MS * 4} ms: ${answer}`));
    }, REQUEST_TIMEOUT_MS * 4).unref();
  });
}

describe('request timeouts on the real socket', () => {
  it('when a body stalls after part of it, then the server answers 408 and closes within REQUEST_TIMEOUT_MS', async () => {
    const { ms, answer } = await stall(
      'POST /api/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
        'Content-Length: 200\r\n\r\n{"username":"adm',
    );
    expect(ms).toBeGreaterThanOrEqual(REQUEST_TIMEOUT_MS - 100);
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
    expect(answer).toMatch(/^HTTP\/1\.1 408/);
  });

  it('when headers stall half-way, then the connection is cut within REQUEST_TIMEOUT_MS too', async () => {
    const { ms } = await stall('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Slow: ');
    expect(ms).toBeLessThan(REQUEST_TIMEOUT_MS + SLACK_MS);
  });

  it('when a stalled client was cut, then the next request is served', async () => {
    expect((await t.anon().get('/healthz')).status).toBe(200);
  });
});
