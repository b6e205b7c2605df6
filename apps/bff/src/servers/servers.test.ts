import { randomBytes } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { startSimulator, type Simulator } from '@console/whm-sim';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { SecretBox } from './secret-box.js';

const TOKEN = `MANAGED${randomBytes(12).toString('hex').toUpperCase()}`;
const NEW_TOKEN = `ROTATED${randomBytes(12).toString('hex').toUpperCase()}`;

describe('the secret box', () => {
  it('when a token is sealed, it opens only with the same key and row, and not after a change', () => {
    const box = new SecretBox(Buffer.from('k'.repeat(40)));
    const sealed = box.seal(TOKEN, 'web01');
    expect(sealed).not.toContain(TOKEN);
    expect(box.seal(TOKEN, 'web01')).not.toBe(sealed);
    expect(box.open(sealed, 'web01')).toBe(TOKEN);
    expect(() => box.open(sealed, 'web02')).toThrow();
    expect(() => new SecretBox(Buffer.from('x'.repeat(40))).open(sealed, 'web01')).toThrow();
    const raw = Buffer.from(sealed.slice(3), 'base64');
    raw[raw.length - 1] = (raw[raw.length - 1] ?? 0) ^ 1;
    expect(() => box.open(`v1:${raw.toString('base64')}`, 'web01')).toThrow();
  });
});

describe('servers managed in the console', () => {
  let harness: TestConsole;
  let whm: Simulator;
  let tls: Simulator;
  let slow: Simulator;
  let html: Server;
  let htmlUrl: string;
  /** The Authorization headers the HTML server was sent: a stored token must never be among them. */
  const htmlAuthorizations: string[] = [];

  beforeAll(async () => {
    whm = await startSimulator({ rootToken: TOKEN, accounts: 6, hostname: 'web77.example.test' });
    tls = await startSimulator({ rootToken: TOKEN, accounts: 2, tls: true });
    slow = await startSimulator({ rootToken: TOKEN, accounts: 2, latencyMs: 2_500 });
    html = createServer((req, res) => {
      if (req.headers.authorization) htmlAuthorizations.push(req.headers.authorization);
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>a router login page</body></html>');
    });
    await new Promise<void>((resolve) => html.listen(0, '127.0.0.1', resolve));
    htmlUrl = `http://127.0.0.1:${(html.address() as AddressInfo).port}`;
    harness = await startTestConsole({ env: { WHM_TIMEOUT_MS: '1500' } });
  });
  afterAll(async () => {
    await harness?.close();
    await Promise.all([whm?.close(), tls?.close(), slow?.close()]);
    await new Promise((resolve) => html?.close(resolve));
  });

  it('when an admin adds a server, it needs step-up, then every screen can use it and no answer holds its token', async () => {
    const admin = await harness.login('admin');
    const body = {
      id: 'web77',
      label: 'Web 77',
      url: whm.url,
      user: 'root',
      token: TOKEN,
      tags: ['eu-west'],
    };
    expect((await admin.post('/api/managed-servers', body)).status).toBe(401);
    await admin.stepUp();
    const added = await admin.post('/api/managed-servers', body);
    expect(added.status).toBe(201);
    expect(added.json.server).toMatchObject({ id: 'web77', managedBy: 'console', hasCa: false });
    const list = (await admin.get('/api/managed-servers')).json;
    expect(list.canStore).toBe(true);
    expect(list.servers.map((s: { id: string; managedBy: string }) => [s.id, s.managedBy])).toEqual(
      [
        ['local', 'demo'],
        ['web77', 'console'],
      ],
    );
    const viewer = await harness.login('viewer');
    expect(
      (await viewer.get('/api/servers')).json.servers.map((s: { id: string }) => s.id),
    ).toContain('web77');
    const accounts = await viewer.whm('listaccts', 'want=user', 'web77');
    expect(accounts.json.data.acct).toHaveLength(6);
    // Stored sealed: the database has no clear token.
    const rows = await harness.running.services.db.query<{ token_sealed: string }>(
      'SELECT token_sealed FROM managed_servers',
    );
    expect(rows[0]?.token_sealed.startsWith('v1:')).toBe(true);
    expect(JSON.stringify(rows)).not.toContain(TOKEN);
    expect(harness.responses.filter((text) => text.includes(TOKEN))).toEqual([]);
    expect(harness.logs.filter((line) => line.includes(TOKEN))).toEqual([]);
    const audit = await admin.get('/api/audit?function=servers%3Aadd');
    expect(audit.json.records).toHaveLength(1);
    expect(audit.text).not.toContain(TOKEN);
  });

  it('when the token is rotated, the new one is used; disabled, the server is gone from the screens; removed, from the list', async () => {
    const admin = await harness.login('admin');
    await admin.stepUp();
    whm.addToken('root', NEW_TOKEN);
    const rotated = await admin.request('PATCH', '/api/managed-servers/web77', {
      body: { token: NEW_TOKEN },
    });
    expect(rotated.status).toBe(200);
    whm.calls.reset();
    expect((await admin.whm('twofactorauth_policy_status', '', 'web77')).status).toBe(200);
    expect(harness.responses.some((text) => text.includes(NEW_TOKEN))).toBe(false);
    const off = await admin.request('PATCH', '/api/managed-servers/web77', {
      body: { disabled: true },
    });
    expect(off.json.server.disabled).toBe(true);
    expect((await admin.get('/api/servers')).json.servers.map((s: { id: string }) => s.id)).toEqual(
      ['local'],
    );
    expect((await admin.whm('twofactorauth_policy_status', '', 'web77')).status).toBe(404);
    expect((await admin.request('DELETE', '/api/managed-servers/web77')).status).toBe(204);
    expect((await admin.get('/api/managed-servers')).json.servers).toHaveLength(1);
    const demo = await admin.request('PATCH', '/api/managed-servers/local', {
      body: { label: 'x' },
    });
    expect(demo.status).toBe(409);
  });

  it('when a connection is tested, it says what failed: token, DNS, refused port, TLS, not a WHM, too slow', async () => {
    const admin = await harness.login('admin');
    const test = async (fields: Record<string, string>) =>
      (await admin.post('/api/managed-servers/test', { user: 'root', token: TOKEN, ...fields }))
        .json as { ok: boolean; problem?: string };
    expect(await test({ url: whm.url })).toMatchObject({ ok: true, policyEnabled: false });
    expect((await test({ url: whm.url, token: 'WRONGTOKEN0123456789' })).problem).toBe(
      'unauthorized',
    );
    expect((await test({ url: 'http://no-such-host.invalid:2087' })).problem).toBe('dns');
    expect((await test({ url: 'http://127.0.0.1:9' })).problem).toBe('refused');
    expect((await test({ url: tls.url })).problem).toBe('tls');
    expect(await test({ url: tls.url, ca: tls.caCert! })).toMatchObject({ ok: true });
    expect((await test({ url: htmlUrl })).problem).toBe('not_whm');
    expect((await test({ url: slow.url })).problem).toBe('too_slow');
    const bad = await admin.post('/api/managed-servers/test', { user: 'root', url: 'ftp://x' });
    expect(bad.status).toBe(400);
    expect(bad.json.field).toBe('url');
  });

  it('when a stored server is tested by its id at another URL, it is refused naming the url and its token goes nowhere', async () => {
    const admin = await harness.login('admin');
    await admin.stepUp();
    const added = await admin.post('/api/managed-servers', {
      id: 'web78',
      label: 'Web 78',
      url: whm.url,
      user: 'root',
      token: TOKEN,
    });
    expect(added.status).toBe(201);
    htmlAuthorizations.length = 0;
    const elsewhere = await admin.post('/api/managed-servers/test', {
      id: 'web78',
      url: htmlUrl,
      user: 'root',
    });
    expect(elsewhere.status).toBe(400);
    expect(elsewhere.json.field).toBe('url');
    // The demo's server from the environment is guarded the same way.
    const demo = await admin.post('/api/managed-servers/test', {
      id: 'local',
      url: htmlUrl,
      user: 'root',
    });
    expect(demo.status).toBe(400);
    expect(demo.json.field).toBe('url');
    expect(htmlAuthorizations).toEqual([]);
    // At its own URL the stored token is used; with a new token any URL may be tried.
    const own = await admin.post('/api/managed-servers/test', {
      id: 'web78',
      url: whm.url,
      user: 'root',
    });
    expect(own.json).toMatchObject({ ok: true });
    const withToken = await admin.post('/api/managed-servers/test', {
      id: 'web78',
      url: htmlUrl,
      user: 'root',
      token: NEW_TOKEN,
    });
    expect(withToken.json).toMatchObject({ ok: false, problem: 'not_whm' });
    expect(htmlAuthorizations.some((value) => value.includes(TOKEN))).toBe(false);
    expect((await admin.request('DELETE', '/api/managed-servers/web78')).status).toBe(204);
  });

  it('when an admin is limited to a tag, then it sees, tests and changes only those servers, and a CA of its own with a stored token needs step-up', async () => {
    const admin = await harness.login('admin');
    await admin.stepUp();
    for (const [id, tag] of [
      ['eu1', 'eu-west'],
      ['us1', 'us-east'],
    ] as const) {
      const added = await admin.post('/api/managed-servers', {
        id,
        label: id,
        url: whm.url,
        user: 'root',
        token: TOKEN,
        tags: [tag],
      });
      expect(added.status, added.text).toBe(201);
    }
    const password = 'eu-admin-password-for-tests';
    const made = await admin.post('/api/operators', {
      username: 'eu-admin',
      password,
      role: 'admin',
      serverTags: ['eu-west'],
    });
    expect(made.status, made.text).toBe(201);
    const euAdmin = await harness.login('eu-admin', password);
    const listed = (await euAdmin.get('/api/managed-servers')).json.servers as { id: string }[];
    expect(listed.map((s) => s.id)).toEqual(['eu1']);
    const testOther = await euAdmin.post('/api/managed-servers/test', {
      id: 'us1',
      url: whm.url,
      user: 'root',
    });
    expect(testOther.status).toBe(403);
    // A CA the caller chose, with the stored token: a fresh step-up first.
    const withCa = await euAdmin.post('/api/managed-servers/test', {
      id: 'eu1',
      url: whm.url,
      user: 'root',
      ca: tls.caCert!,
    });
    expect(withCa.status).toBe(401);
    expect(withCa.json.code).toBe('step_up_required');
    await euAdmin.stepUp(password);
    const own = await euAdmin.post('/api/managed-servers/test', {
      id: 'eu1',
      url: whm.url,
      user: 'root',
    });
    expect(own.json).toMatchObject({ ok: true });
    expect(
      (await euAdmin.request('PATCH', '/api/managed-servers/us1', { body: { label: 'x' } })).status,
    ).toBe(403);
    expect(
      (await euAdmin.request('PATCH', '/api/managed-servers/eu1', { body: { tags: ['us-east'] } }))
        .status,
    ).toBe(403);
    expect((await euAdmin.request('DELETE', '/api/managed-servers/us1')).status).toBe(403);
    const addOther = await euAdmin.post('/api/managed-servers', {
      id: 'us2',
      label: 'us2',
      url: whm.url,
      user: 'root',
      token: TOKEN,
      tags: ['us-east'],
    });
    expect(addOther.status).toBe(403);
    for (const id of ['eu1', 'us1']) {
      expect((await admin.request('DELETE', `/api/managed-servers/${id}`)).status).toBe(204);
    }
  });

  it('when a stored server with its own CA is tested by its id, its stored CA is used', async () => {
    const admin = await harness.login('admin');
    await admin.stepUp();
    const added = await admin.post('/api/managed-servers', {
      id: 'tls1',
      label: 'TLS 1',
      url: tls.url,
      user: 'root',
      token: TOKEN,
      ca: tls.caCert!,
    });
    expect(added.status).toBe(201);
    const test = await admin.post('/api/managed-servers/test', {
      id: 'tls1',
      url: tls.url,
      user: 'root',
    });
    expect(test.json).toMatchObject({ ok: true });
    // "Remove the stored CA certificate" ticked: the test is of the server as it would be saved.
    const withoutCa = await admin.post('/api/managed-servers/test', {
      id: 'tls1',
      url: tls.url,
      user: 'root',
      ca: null,
    });
    expect(withoutCa.status).toBe(200);
    expect(withoutCa.json).toMatchObject({ ok: false, problem: 'tls' });
    expect((await admin.request('DELETE', '/api/managed-servers/tls1')).status).toBe(204);
  });
});

describe('servers managed in the console, outside demo mode without a key', () => {
  it('when no CONSOLE_SECRET_KEY_FILE is set, no token is stored and the answer says why', async () => {
    const whm = await startSimulator({ rootToken: TOKEN, accounts: 1 });
    const harness = await startTestConsole({
      env: { WHM_URL: whm.url, WHM_USER: 'root', WHM_TOKEN: TOKEN },
    });
    try {
      const admin = await harness.login('admin');
      await admin.stepUp();
      expect((await admin.get('/api/managed-servers')).json.canStore).toBe(false);
      const refused = await admin.post('/api/managed-servers', {
        id: 'web9',
        label: 'Web 9',
        url: whm.url,
        user: 'root',
        token: TOKEN,
      });
      expect(refused.status).toBe(409);
      expect(refused.json.message).toContain('CONSOLE_SECRET_KEY_FILE');
    } finally {
      await harness.close();
      await whm.close();
    }
  });
});
