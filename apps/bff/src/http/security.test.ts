import { createHash } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_PASSWORD, startTestConsole, type TestConsole } from '../testing/harness.js';

let now = Date.now();
let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole({ clock: () => now });
});
afterAll(async () => {
  await t.close();
});

const CSP =
  "default-src 'self';base-uri 'none';object-src 'none';frame-ancestors 'none';form-action 'self'";

describe('SECURITY 22: headers', () => {
  it('when any page is served, then helmet’s tightened CSP is set and x-powered-by is absent', async () => {
    for (const path of ['/', '/accounts', '/api/session', '/healthz']) {
      const answer = await t.anon().get(path);
      const csp = String(answer.headers['content-security-policy']);
      expect(csp.startsWith(CSP), csp).toBe(true);
      expect(answer.headers['x-powered-by']).toBeUndefined();
      expect(answer.headers['x-content-type-options']).toBe('nosniff');
      expect(answer.headers['x-frame-options']).toBe('DENY');
      expect(String(answer.headers['permissions-policy'])).toContain('camera=()');
      expect(String(answer.headers['permissions-policy'])).toContain('geolocation=()');
    }
  });

  it('when the console is reached over plain http, then no HSTS header is sent (browsers ignore it and a TLS-less console must stay reachable)', async () => {
    const admin = await t.login('admin');
    for (const answer of [
      await t.anon().get('/healthz'),
      await admin.get('/api/session'),
      await admin.whm('listaccts', 'want=user'),
      await admin.get('/api/session', { headers: { 'x-forwarded-proto': 'https' } }),
    ]) {
      expect(answer.headers['strict-transport-security']).toBeUndefined();
    }
  });

  it('when /api answers, even with an error, then Cache-Control is no-store', async () => {
    const admin = await t.login('admin');
    for (const answer of [
      await admin.get('/api/session'),
      await admin.get('/api/nothing-here'),
      await t.anon().get('/api/session'),
      await admin.whm('listaccts', 'want=user'),
    ]) {
      expect(answer.headers['cache-control']).toBe('no-store');
    }
  });

  it('when no proxy hop is trusted, then a forged X-Forwarded-For does not change the recorded address', async () => {
    const admin = await t.login('admin');
    await admin.request('DELETE', '/api/session', {
      headers: { 'x-forwarded-for': '203.0.113.9' },
    });
    const reader = await t.login('admin');
    const audit = await reader.get('/api/audit?limit=20');
    const logout = audit.json.records.find(
      (record: { detail: { event?: string } }) => record.detail.event === 'logout',
    );
    expect(logout.sourceIp).not.toContain('203.0.113.9');
    expect(t.running.server.listening).toBe(true);
  });
});

describe('the SPA when it is not built', () => {
  it('when the web app has no build, then a page says so and the API still works', async () => {
    const answer = await t.anon().get('/accounts', { csrf: false });
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('not built');
  });
});

describe('SECURITY 13: CSRF', () => {
  it('when an /api request lacks X-CSRF: 1, then it is refused with 403 csrf_required', async () => {
    const admin = await t.login('admin');
    for (const answer of [
      await admin.get('/api/session', { csrf: false }),
      await admin.get('/api/session', { csrf: false, headers: { 'x-csrf': '0' } }),
      await admin.whm('listaccts').then(() => admin.get('/api/servers', { csrf: false })),
    ]) {
      expect(answer.status).toBe(403);
      expect(answer.json.code).toBe('csrf_required');
    }
  });

  it('when a write is not application/json, then it is refused with 403', async () => {
    const admin = await t.login('admin');
    const answer = await admin.request(
      'POST',
      '/api/servers/local/whm/twofactorauth_enable_policy',
      {
        rawBody: 'a=1',
        contentType: 'application/x-www-form-urlencoded',
      },
    );
    expect(answer.status).toBe(403);
    expect(answer.json.code).toBe('csrf_required');
    const plain = await admin.request('POST', '/api/session/step-up', {
      rawBody: '{"password":"x"}',
      contentType: 'text/plain',
    });
    expect(plain.status).toBe(403);
  });

  it('when a write says Sec-Fetch-Site: cross-site, then it is refused even with the header and JSON', async () => {
    const admin = await t.login('admin');
    const answer = await admin.post(
      '/api/servers/local/whm/twofactorauth_enable_policy',
      {},
      { headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(answer.status).toBe(403);
    expect(answer.json.code).toBe('csrf_required');
    const login = await t.anon().request('POST', '/api/session', {
      body: { username: 'admin', password: DEMO_PASSWORD },
      csrf: false,
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(login.status).toBe(403);
  });

  it('when Sec-Fetch-Site says cross-site in any letter case, then the write is refused', async () => {
    const admin = await t.login('admin');
    for (const site of ['Cross-Site', 'CROSS-SITE', 'Same-Site']) {
      const answer = await admin.post(
        '/api/servers/local/whm/twofactorauth_enable_policy',
        {},
        { headers: { 'sec-fetch-site': site } },
      );
      expect(answer.status, site).toBe(403);
      expect(answer.json.code).toBe('csrf_required');
      const login = await t.anon().request('POST', '/api/session', {
        body: { username: 'admin', password: DEMO_PASSWORD },
        csrf: false,
        headers: { 'sec-fetch-site': site },
      });
      expect(login.status, site).toBe(403);
    }
  });

  it('when a write has no body (sign-out), then it needs no content type', async () => {
    const admin = await t.login('admin');
    const answer = await admin.request('DELETE', '/api/session', { contentType: null });
    expect(answer.status).toBe(204);
    expect((await admin.get('/api/session')).status).toBe(401);
    const withBody = await (
      await t.login('admin')
    ).request('DELETE', '/api/session', {
      rawBody: '{}',
      contentType: null,
    });
    expect(withBody.status).toBe(403);
  });

  it('when a cross-origin preflight arrives, then no CORS header is ever sent', async () => {
    const answer = await t.anon().request('OPTIONS', '/api/session', {
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    const admin = await t.login('admin');
    const read = await admin.get('/api/session', { headers: { origin: 'https://evil.example' } });
    for (const headers of [answer.headers, read.headers]) {
      for (const name of Object.keys(headers)) expect(name).not.toMatch(/^access-control-/);
    }
  });

  it('when login is sent as a form, then it is refused (no login CSRF)', async () => {
    const answer = await t.anon().request('POST', '/api/session', {
      rawBody: `username=admin&password=${DEMO_PASSWORD}`,
      contentType: 'application/x-www-form-urlencoded',
      csrf: false,
    });
    expect(answer.status).toBe(403);
  });
});

describe('SECURITY 12: the session cookie', () => {
  it('when signing in over loopback demo mode, then the cookie is HttpOnly, SameSite=Strict, Path=/ and not __Host- (plain http)', async () => {
    const answer = await t.anon().request('POST', '/api/session', {
      body: { username: 'viewer', password: DEMO_PASSWORD },
      csrf: false,
    });
    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toMatch(/^console_session=[A-Za-z0-9_-]{43};/);
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
    expect(cookie).toContain('Path=/');
    expect(cookie).not.toContain('Domain');
  });
});

describe('SECURITY 11: sessions', () => {
  it('when an operator signs in twice, then each login gets a new 256-bit id and only its SHA-256 is stored', async () => {
    const a = await t.login('viewer');
    const b = await t.login('viewer');
    expect(a.cookie).not.toBe(b.cookie);
    const id = a.cookie!.split('=')[1]!;
    expect(Buffer.from(id, 'base64url')).toHaveLength(32);
    const rows = await t.running.services.db.query<{ id_hash: string }>(
      'SELECT id_hash FROM sessions',
    );
    const hashes = rows.map((row) => row.id_hash);
    expect(hashes).toContain(createHash('sha256').update(id).digest('hex'));
    expect(hashes).not.toContain(id);
  });

  it('when an operator signs out, then the old cookie no longer works', async () => {
    const viewer = await t.login('viewer');
    expect((await viewer.get('/api/session')).status).toBe(200);
    const out = await viewer.request('DELETE', '/api/session');
    expect(out.status).toBe(204);
    expect(String(out.headers['set-cookie'])).toContain('Max-Age=0');
    const after = await viewer.get('/api/session');
    expect(after.status).toBe(401);
    expect(after.json.code).toBe('unauthenticated');
  });

  it('when the idle time passes, then the session answers session_expired', async () => {
    const viewer = await t.login('viewer');
    now += 31 * 60_000;
    try {
      const answer = await viewer.get('/api/session');
      expect(answer.status).toBe(401);
      expect(answer.json.code).toBe('session_expired');
    } finally {
      now = Date.now();
    }
  });

  it('when the absolute lifetime passes, then the session expires even while in use', async () => {
    const viewer = await t.login('viewer');
    const start = now;
    try {
      for (let minutes = 20; minutes < 12 * 60; minutes += 20) {
        now = start + minutes * 60_000;
        expect((await viewer.get('/api/session')).status).toBe(200);
      }
      now = start + 12 * 3_600_000 + 1_000;
      const answer = await viewer.get('/api/session');
      expect(answer.json.code).toBe('session_expired');
    } finally {
      now = Date.now();
    }
  });

  it('when an admin ends an operator’s sessions or changes its role, then its cookies stop working', async () => {
    const admin = await t.login('admin');
    const support = await t.login('support');
    const list = await admin.get('/api/operators');
    const supportId = list.json.operators.find(
      (o: { username: string }) => o.username === 'support',
    ).id;
    expect((await admin.request('DELETE', `/api/operators/${supportId}/sessions`)).status).toBe(
      204,
    );
    expect((await support.get('/api/session')).status).toBe(401);

    const again = await t.login('support');
    await admin.stepUp();
    const patch = await admin.request('PATCH', `/api/operators/${supportId}`, {
      body: { role: 'viewer' },
    });
    expect(patch.status).toBe(200);
    expect((await again.get('/api/session')).status).toBe(401);
    const relogged = await t.login('support');
    expect((await relogged.get('/api/session')).json.operator.role).toBe('viewer');
    await admin.request('PATCH', `/api/operators/${supportId}`, { body: { role: 'support' } });
  });
});

describe('SECURITY 10: passwords and login throttling', () => {
  it('when passwords are stored, then they are argon2id hashes', async () => {
    const rows = await t.running.services.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM operators',
    );
    for (const row of rows) expect(row.password_hash).toMatch(/^\$argon2id\$/);
  });

  it('when the username or the password is wrong, then the answers are identical', async () => {
    const wrongPassword = await t.anon().request('POST', '/api/session', {
      body: { username: 'viewer', password: 'wrong' },
      csrf: false,
    });
    const unknownUser = await t.anon().request('POST', '/api/session', {
      body: { username: 'nobody', password: 'wrong' },
      csrf: false,
    });
    expect(wrongPassword.status).toBe(401);
    expect(unknownUser.status).toBe(401);
    const strip = (json: Record<string, unknown>) => ({ ...json, requestId: undefined });
    expect(strip(wrongPassword.json)).toEqual(strip(unknownUser.json));
    expect(wrongPassword.json.code).toBe('invalid_credentials');
  });

  it('when a username fails five times, then even the right password is throttled with Retry-After', async () => {
    const admin = await t.login('admin');
    await admin.stepUp();
    const created = await admin.post('/api/operators', {
      username: 'throttled',
      password: 'a long enough password',
      role: 'viewer',
    });
    expect(created.status).toBe(201);
    for (let i = 0; i < 5; i += 1) {
      const answer = await t.anon().request('POST', '/api/session', {
        body: { username: 'throttled', password: `wrong ${i}` },
        csrf: false,
      });
      expect(answer.status).toBe(401);
    }
    const blocked = await t.anon().request('POST', '/api/session', {
      body: { username: 'throttled', password: 'a long enough password' },
      csrf: false,
    });
    expect(blocked.status).toBe(429);
    expect(blocked.json.code).toBe('rate_limited');
    expect(Number(blocked.headers['retry-after'])).toBeGreaterThan(0);
  });
});

describe('SECURITY 16: body limit', () => {
  it('when a body is over 16 kB, then the answer is 413 payload_too_large', async () => {
    const admin = await t.login('admin');
    const answer = await admin.post('/api/servers/local/whm/twofactorauth_set_issuer', {
      issuer: 'x'.repeat(17_000),
    });
    expect(answer.status).toBe(413);
    expect(answer.json.code).toBe('payload_too_large');
  });

  it('when a body is not valid JSON, then the answer is 400 naming the body', async () => {
    const admin = await t.login('admin');
    const answer = await admin.request('POST', '/api/session/step-up', { rawBody: '{"password":' });
    expect(answer.status).toBe(400);
    expect(answer.json).toMatchObject({ code: 'invalid_params', field: 'body' });
  });
});

describe('SECURITY 10: throttling per address', () => {
  it('when one address fails twenty times across usernames, then it is throttled', async () => {
    const address = { 'x-forwarded-for': '198.51.100.7' };
    let last = 0;
    for (let i = 0; i < 21; i += 1) {
      const answer = await t.anon().request('POST', '/api/session', {
        body: { username: `ghost${i}`, password: 'wrong' },
        csrf: false,
        headers: address,
      });
      last = answer.status;
    }
    // Without trusted hops the forged header is ignored: the loopback address is the key.
    expect(last).toBe(429);
    now += 16 * 60_000;
    expect((await t.login('viewer')).cookie).toBeDefined();
  });
});
