import { createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import { startCaptureServer, type CaptureServer } from '../testing/upstreams.js';
import { createUpstream, type RawAnswer } from './upstream.js';

// A read is shared by callers who do not know of each other: the one whose request started the
// upstream call must not take it down when it leaves.
const ANSWER = JSON.stringify({
  metadata: { command: 'twofactorauth_policy_status', reason: 'OK', result: 1, version: 1 },
  data: { is_enabled: 1 },
});

let t: TestConsole;
let slow: CaptureServer;
let flaky: CaptureServer;
let admin: Client;
beforeAll(async () => {
  // Headers and half the body after 150 ms, the rest 300 ms later.
  slow = await startCaptureServer((_request, res) => {
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.write(ANSWER.slice(0, 40));
      setTimeout(() => res.end(ANSWER.slice(40)), 300);
    }, 150);
  });
  // Hangs up on the first request after 150 ms (a reset the BFF retries), answers the next.
  const flakyServer = await startCaptureServer((_request, res) => {
    if (flakyServer.requests.length === 1) setTimeout(() => res.socket?.destroy(), 150);
    else res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
  });
  flaky = flakyServer;
  t = await startTestConsole({
    servers: [
      { id: 'slow', label: 'slow', url: slow.url, user: 'root', token: 't', demo: false },
      { id: 'flaky', label: 'flaky', url: flaky.url, user: 'root', token: 't', demo: false },
    ],
  });
  admin = await t.login('admin');
  // Once through Express, so the session is cached and the reads below take the hot path too.
  await admin.get('/api/servers');
});
afterAll(async () => {
  await t.close();
  await slow.close();
  await flaky.close();
});

/** A browser that asks and then leaves (closes its connection) after `ms`. */
function leavingCaller(path: string, cookie: string, ms: number): Promise<void> {
  return new Promise((resolve) => {
    const url = new URL(path, t.url);
    const req = httpRequest(url, { headers: { cookie, 'x-csrf': '1' } });
    req.on('error', () => resolve());
    req.end();
    setTimeout(() => {
      req.destroy();
      resolve();
    }, ms);
  });
}

/** Every caller who stayed got WHM's answer. */
function expectPolicyAnswers(answers: Awaited<ReturnType<Client['whm']>>[]): void {
  for (const answer of answers) {
    expect(answer.status, answer.text).toBe(200);
    expect(answer.json.data).toEqual({ is_enabled: 1 });
  }
}

describe('shared reads and their callers', () => {
  for (const when of ['before WHM answers', 'while the answer is arriving']) {
    it(`when the caller who started a shared read leaves ${when}, then the others still get the answer`, async () => {
      slow.requests.length = 0;
      const path = '/api/servers/slow/whm/twofactorauth_policy_status';
      const leaving = leavingCaller(path, admin.cookie!, when === 'before WHM answers' ? 60 : 300);
      await new Promise((resolve) => setTimeout(resolve, 20));
      const others = await Promise.all(
        Array.from({ length: 4 }, () => admin.whm('twofactorauth_policy_status', '', 'slow')),
      );
      await leaving;
      expectPolicyAnswers(others);
      expect(slow.requests.length).toBeLessThanOrEqual(2);
    });
  }

  it('when WHM hangs up on a shared read after its first caller left, then the read is retried for the others', async () => {
    const path = '/api/servers/flaky/whm/twofactorauth_policy_status';
    const leaving = leavingCaller(path, admin.cookie!, 60);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const started = Date.now();
    const others = await Promise.all(
      Array.from({ length: 3 }, () => admin.whm('twofactorauth_policy_status', '', 'flaky')),
    );
    await leaving;
    expectPolicyAnswers(others);
    // Promptly: not after the BFF's upstream timeout (1.5 s in tests).
    expect(Date.now() - started).toBeLessThan(1_000);
    expect(flaky.requests).toHaveLength(2);
  });

  it('when the browser’s request is already gone as the proxy gets it, then the upstream call is still made and answered', async () => {
    const whm = await startCaptureServer((_request, res) => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(ANSWER);
    });
    const upstream = createUpstream(
      { id: 'x', label: 'x', url: whm.url, user: 'root', token: 't', demo: false },
      { timeoutMs: 1_000, maxSockets: 4 },
    );
    const answered = new Promise<RawAnswer | Error>((resolve) => {
      const front = createServer((req, res) => {
        // What a browser leaving mid-check looks like to the proxy: a request stream destroyed.
        req.destroy();
        upstream
          .viaProxy(req, res, {
            fn: 'twofactorauth_policy_status',
            method: 'GET',
            path: '/json-api/twofactorauth_policy_status?api.version=1',
            idempotent: true,
          })
          .then(resolve, resolve)
          .finally(() => front.close());
      });
      front.listen(0, '127.0.0.1', () => {
        const port = (front.address() as AddressInfo).port;
        httpRequest(`http://127.0.0.1:${port}/`)
          .on('error', () => {})
          .end();
      });
    });
    const answer = await answered;
    upstream.close();
    await whm.close();
    expect(answer).not.toBeInstanceOf(Error);
    expect((answer as RawAnswer).status).toBe(200);
    expect(JSON.parse((answer as RawAnswer).body.toString())).toMatchObject({
      data: { is_enabled: 1 },
    });
    expect(whm.requests).toHaveLength(1);
  });
});
