import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger } from '../logger.js';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { createApp } from '../http/app.js';
import { cookieSettings } from '../http/context.js';
import { recordSecurityHeaders } from '../http/security-headers.js';
import { hotReads } from './hot-reads.js';

// The console's own services behind a server of the test's, so each request says which path
// answered it: the hot path, or Express (the same app the console builds).
let t: TestConsole;
let server: Server;
let base: string;
const taken = { hot: 0, express: 0 };
const logs: string[] = [];

beforeAll(async () => {
  t = await startTestConsole();
  const { db, audit, sessions, operators, whm } = t.running.services;
  const logger = createLogger({ level: 'info', destination: { write: (line) => logs.push(line) } });
  // The test console signs in over loopback demo mode: plain cookie name, as cookieSettings gives it.
  const cookie = cookieSettings(false, 60_000);
  const app = createApp({ logger, db, audit, sessions, operators, whm, cookie, trustProxyHops: 0 });
  const hot = hotReads({ sessions, whm, cookie, logger, trustProxyHops: 0 });
  server = createServer((req, res) => {
    if (hot(req, res)) taken.hot += 1;
    else {
      taken.express += 1;
      app(req, res);
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(async () => {
  await new Promise((resolve) => server.close(resolve));
  await t.close();
});

async function get(path: string, cookie: string | undefined, headers: Record<string, string> = {}) {
  const before = { ...taken };
  const response = await request(`${base}${path}`, {
    headers: { 'x-csrf': '1', ...(cookie ? { cookie } : {}), ...headers },
  });
  const text = await response.body.text();
  return {
    status: response.statusCode,
    headers: response.headers,
    json: text ? JSON.parse(text) : undefined,
    path: taken.hot > before.hot ? 'hot' : taken.express > before.express ? 'express' : 'none',
  };
}

/** Headers both paths must agree on: all but those that differ per answer by nature. */
function comparable(headers: Record<string, unknown>) {
  const rest = { ...headers };
  for (const name of ['date', 'x-request-id', 'keep-alive']) delete rest[name];
  return rest;
}

async function signedIn(role = 'admin') {
  return (await t.login(role)).cookie!;
}

describe('the hot read path', () => {
  it('when a session is first seen, then Express answers; once it is cached, the hot path answers alike', async () => {
    const cookie = await signedIn();
    const first = await get('/api/servers/local/whm/twofactorauth_get_issuer', cookie);
    const second = await get('/api/servers/local/whm/twofactorauth_get_issuer', cookie);
    expect([first.path, second.path]).toEqual(['express', 'hot']);
    expect(second.status).toBe(200);
    expect(second.json).toEqual(first.json);
    expect(second.json.data.issuer).toEqual(expect.any(String));
    expect(comparable(second.headers)).toEqual(comparable(first.headers));
  });

  it('when the hot path answers, then it carries every header helmet sets and no-store', async () => {
    const cookie = await signedIn('viewer');
    await get('/api/servers/local/whm/twofactorauth_policy_status', cookie);
    const answer = await get('/api/servers/local/whm/twofactorauth_policy_status', cookie);
    expect(answer.path).toBe('hot');
    const helmet = recordSecurityHeaders();
    expect(helmet.size).toBeGreaterThan(8);
    for (const [name, value] of helmet) expect(answer.headers[name], name).toBe(value);
    expect(answer.headers['cache-control']).toBe('no-store');
    expect(answer.headers['content-security-policy']).toContain("frame-ancestors 'none'");
  });

  it('when a hot read is refused, then the error is the one Express gives: same status, code, field', async () => {
    const cases = [
      '/api/servers/local/whm/twofactorauth_policy_status?bogus=1',
      '/api/servers/local/whm/twofactorauth_get_tfa_config_for_user?user=root',
      '/api/servers/elsewhere/whm/twofactorauth_policy_status',
      '/api/servers/local/whm/twofactorauth_enable_policy',
    ];
    for (const path of cases) {
      // A fresh session: its first request goes through Express, the same one again is hot.
      const cookie = await signedIn();
      const viaExpress = await get(path, cookie);
      const hot = await get(path, cookie);
      expect([viaExpress.path, hot.path], path).toEqual(['express', 'hot']);
      expect(hot.status, path).toBeGreaterThanOrEqual(400);
      expect(hot.status, path).toBe(viaExpress.status);
      const { requestId, ...error } = hot.json;
      const { requestId: expressRequestId, ...expressError } = viaExpress.json;
      expect(requestId).toBe(hot.headers['x-request-id']);
      expect(expressRequestId).not.toBe(requestId);
      expect(error).toEqual(expressError);
      expect(comparable(hot.headers)).toEqual(comparable(viaExpress.headers));
    }
  });

  it('when a read is not plainly a signed-in browser read, then the hot path leaves it to Express', async () => {
    const cookie = await signedIn();
    const read = '/api/servers/local/whm/twofactorauth_policy_status';
    await get(read, cookie);
    expect((await get(read, cookie)).path).toBe('hot');

    const noCsrf = await request(`${base}${read}`, { headers: { cookie } });
    await noCsrf.body.text();
    expect(noCsrf.statusCode).toBe(403);

    const cases: [string, string | undefined, Record<string, string>, number][] = [
      [read, undefined, {}, 401],
      [read, 'console_session=not-a-session', {}, 401],
      // Express decodes route params: the long way still finds the function.
      [read.replace('policy', 'polic%79'), cookie, {}, 200],
      [`${read}/`, cookie, {}, 404],
      [read.replace('/api/', '/api//'), cookie, {}, 404],
    ];
    for (const [path, sessionCookie, headers, status] of cases) {
      const answer = await get(path, sessionCookie, headers);
      expect(answer.path, path).toBe('express');
      expect(answer.status, path).toBe(status);
    }
    const write = await request(`${base}${read}`, {
      method: 'POST',
      headers: { cookie, 'x-csrf': '1', 'content-type': 'application/json' },
      body: '{}',
    });
    await write.body.text();
    expect(write.statusCode).toBe(405);
    expect(taken.hot).toBeGreaterThan(0);
  });

  it('when a hot read is answered, then it is logged with the browser’s path, never the upstream one', async () => {
    const cookie = await signedIn('support');
    await get('/api/servers/local/whm/twofactorauth_get_user_configs', cookie);
    logs.length = 0;
    const answer = await get('/api/servers/local/whm/twofactorauth_get_user_configs', cookie);
    expect(answer.path).toBe('hot');
    const line = logs
      .map((text) => JSON.parse(text) as Record<string, unknown>)
      .find(
        (entry) => entry.msg === 'request' && entry.requestId === answer.headers['x-request-id'],
      );
    expect(line).toMatchObject({
      method: 'GET',
      path: '/api/servers/local/whm/twofactorauth_get_user_configs',
      status: 200,
      operator: 'support',
    });
  });
});
