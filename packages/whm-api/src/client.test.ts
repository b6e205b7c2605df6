import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createWhmClient, whmAuthorization } from './client.js';
import { WhmError, WhmTransportError } from './errors.js';

interface Seen {
  method: string;
  url: string;
  headers: IncomingMessage['headers'];
  body: string;
}

type Reply = (res: ServerResponse, seen: Seen) => void;

let server: Server;
let origin: string;
let reply: Reply;
const seen: Seen[] = [];

const ok =
  (data?: unknown): Reply =>
  (res, request) => {
    const command = new URL(request.url, 'http://x').pathname.split('/').pop();
    const body: Record<string, unknown> = {
      metadata: { command, reason: 'OK', result: 1, version: 1 },
    };
    if (data !== undefined) body.data = data;
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify(body));
  };

beforeAll(async () => {
  server = createServer((req, res) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => (body += chunk));
    req.on('end', () => {
      const request = { method: req.method ?? '', url: req.url ?? '', headers: req.headers, body };
      seen.push(request);
      reply(res, request);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterEach(() => {
  seen.length = 0;
});
afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

const client = (timeoutMs = 2_000) =>
  createWhmClient({ url: origin, user: 'root', token: 'SECRET', timeoutMs });

async function transportFailure(call: Promise<unknown>): Promise<WhmTransportError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WhmTransportError))
    throw new Error(`expected WhmTransportError, got ${String(error)}`);
  return error;
}

describe('createWhmClient', () => {
  it('when reading, then it sends GET with api.version=1 and the params in the query, token in the header only', async () => {
    reply = ok({ acct: [] });
    await client().call(
      'listaccts',
      { search: 'bob', searchtype: 'user' },
      {
        output: { chunk: { size: 5 } },
      },
    );
    const [request] = seen;
    expect(request?.method).toBe('GET');
    expect(request?.url).toBe(
      '/json-api/listaccts?api.version=1&search=bob&searchtype=user&api.chunk.enable=1&api.chunk.size=5&api.chunk.start=1',
    );
    expect(request?.headers.authorization).toBe(whmAuthorization('root', 'SECRET'));
    expect(request?.url).not.toContain('SECRET');
  });

  it('when writing, then it POSTs a form body', async () => {
    reply = ok({ users_modified: ['a', 'b'], failed: {} });
    await expect(
      client().call('twofactorauth_remove_user_config', { user: ['a', 'b'] }),
    ).resolves.toEqual({ users_modified: ['a', 'b'], failed: {} });
    const [request] = seen;
    expect(request?.method).toBe('POST');
    expect(request?.url).toBe('/json-api/twofactorauth_remove_user_config');
    expect(request?.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request?.body).toBe('api.version=1&user=a&user-0=b');
  });

  it('when setting config for a user, then it POSTs JSON with api.version in the query', async () => {
    reply = ok();
    const config = { bob: { primary_account: { secret: 'JBSWY3DPEHPK3PXP' } } };
    await client().call('twofactorauth_set_tfa_config_for_user', { config });
    const [request] = seen;
    expect(request?.url).toBe('/json-api/twofactorauth_set_tfa_config_for_user?api.version=1');
    expect(request?.headers['content-type']).toBe('application/json');
    expect(JSON.parse(request?.body ?? '')).toEqual(config);
  });

  it('when WHM answers result 0, then WhmError carries command and reason', async () => {
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ metadata: { result: '0', reason: 'No users specified.' } }));
    };
    const error = await client()
      .call('twofactorauth_remove_user_config', { user: 'a' })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(WhmError);
    expect(error).toMatchObject({
      command: 'twofactorauth_remove_user_config',
      reason: 'No users specified.',
    });
  });

  it('when WHM never answers, then the call fails with timeout', async () => {
    reply = () => undefined;
    const error = await transportFailure(client(150).call('twofactorauth_policy_status', {}));
    expect(error.failure).toBe('timeout');
  });

  it('when WHM stops mid-body, then the call fails with timeout', async () => {
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': '100' });
      res.write('{"metadata":');
    };
    const error = await transportFailure(client(150).call('twofactorauth_policy_status', {}));
    expect(error.failure).toBe('timeout');
  });

  it.each([
    [401, 'unauthorized'],
    [403, 'forbidden'],
    [500, 'http_status'],
    [503, 'http_status'],
  ] as const)('when WHM answers HTTP %i, then the failure is %s', async (status, failure) => {
    reply = (res) => {
      res.writeHead(status, { 'content-type': 'text/html' });
      res.end('<html>no</html>');
    };
    const error = await transportFailure(client().call('twofactorauth_policy_status', {}));
    expect(error).toMatchObject({ failure, status });
  });

  it('when WHM answers HTML with 200, then the failure is not_json', async () => {
    reply = (res) => {
      res.writeHead(200, { 'content-type': 'text/html' });
      res.end('<html>login</html>');
    };
    expect((await transportFailure(client().call('twofactorauth_policy_status', {}))).failure).toBe(
      'not_json',
    );
  });

  it('when WHM redirects, then the call fails instead of following', async () => {
    reply = (res) => {
      res.writeHead(302, { location: 'http://127.0.0.1:1/elsewhere' });
      res.end();
    };
    expect((await transportFailure(client().call('twofactorauth_policy_status', {}))).failure).toBe(
      'network',
    );
  });

  it('when the connection is refused, then the failure is network with the code', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    const refused = createWhmClient({ url: `http://127.0.0.1:${port}`, user: 'root', token: 'x' });
    const error = await transportFailure(refused.call('twofactorauth_policy_status', {}));
    expect(error.failure).toBe('network');
    expect(error.message).toMatch(/ECONNREFUSED/);
  });

  it('when the caller aborts, then the call stops without waiting for the timeout', async () => {
    reply = () => undefined;
    const controller = new AbortController();
    const call = client(10_000).call(
      'twofactorauth_policy_status',
      {},
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 50);
    const error = await transportFailure(call);
    expect(error.failure).toBe('network');
  });

  it('when callWithMetadata is used, then the metadata comes with the data', async () => {
    reply = ok({ is_enabled: '1' });
    const answer = await client().callWithMetadata('twofactorauth_policy_status', {});
    expect(answer).toEqual({
      metadata: { command: 'twofactorauth_policy_status', reason: 'OK', result: 1, version: 1 },
      data: { is_enabled: 1 },
    });
  });
});
