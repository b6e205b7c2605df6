import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import {
  startCaptureServer,
  type CaptureServer,
  type CapturedRequest,
} from '../testing/upstreams.js';

const TOKEN = 'CAPTURETOKEN0123456789';
let upstream: CaptureServer;
let t: TestConsole;
let admin: Client;

function envelope(command: string, data?: unknown) {
  return {
    metadata: { command, reason: 'OK', result: 1, version: 1 },
    ...(data === undefined ? {} : { data }),
  };
}

function answerFor(request: CapturedRequest): unknown {
  const fn = request.url.split('?')[0]!.replace('/json-api/', '');
  switch (fn) {
    case 'listaccts':
      return envelope(fn, {
        acct: [{ user: 'bob', domain: 'bob.example', owner: 'root', evil: '<script>' }],
        smuggled: true,
      });
    case 'twofactorauth_get_user_configs':
      return envelope(fn, {
        bob: { is_enabled: 1, primary_domain: 'bob.example', secret: 'LEAK' },
      });
    case 'twofactorauth_policy_status':
      return envelope(fn, { is_enabled: 0 });
    case 'twofactorauth_remove_user_config':
      return envelope(fn, { users_modified: ['bob'], failed: {} });
    default:
      return envelope(fn);
  }
}

const defaultRespond: CaptureServer['respond'] = (request, res) => {
  res.setHeader('content-type', 'application/json');
  res.setHeader('set-cookie', 'whostmgrsession=upstream-secret; HttpOnly');
  res.end(JSON.stringify(answerFor(request)));
};

beforeAll(async () => {
  upstream = await startCaptureServer(defaultRespond);
  t = await startTestConsole({
    servers: [
      { id: 'cap', label: 'Capture', url: upstream.url, user: 'root', token: TOKEN, demo: false },
    ],
  });
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
  await upstream.close();
});
beforeEach(() => {
  upstream.requests.length = 0;
  upstream.respond = defaultRespond;
});

describe('SECURITY 2, 4, 8: what goes upstream', () => {
  it('when a read is forwarded, then WHM gets only the allowlisted headers and the token only in Authorization', async () => {
    const answer = await admin.get('/api/servers/cap/whm/listaccts?want=user', {
      headers: {
        authorization: 'Basic ZXZpbDpldmls',
        'x-forwarded-for': '10.0.0.1',
        'x-forwarded-host': 'evil.example',
        'x-real-ip': '10.0.0.2',
        'user-agent': 'browser',
        origin: 'http://127.0.0.1',
      },
    });
    expect(answer.status, answer.text).toBe(200);
    expect(upstream.requests).toHaveLength(1);
    const [request] = upstream.requests;
    expect(request!.method).toBe('GET');
    expect(request!.url).toBe('/json-api/listaccts?api.version=1&want=user');
    expect(request!.url).not.toContain(TOKEN);
    const names = Object.keys(request!.headers).sort();
    expect(names.filter((name) => name !== 'connection')).toEqual([
      'accept',
      'authorization',
      'host',
    ]);
    expect(request!.headers.authorization).toBe(`whm root:${TOKEN}`);
    expect(request!.headers.host).toBe(new URL(upstream.url).host);
  });

  it('when the browser sends another Host, then the configured origin is still the only target', async () => {
    const answer = await admin.get('/api/servers/cap/whm/twofactorauth_policy_status', {
      headers: { host: 'evil.example:2087' },
    });
    expect(answer.status).toBe(200);
    expect(upstream.requests[0]!.headers.host).toBe(new URL(upstream.url).host);
    const byUrl = await admin.get(
      `/api/servers/${encodeURIComponent('http://evil.example')}/whm/twofactorauth_policy_status`,
    );
    expect(byUrl.status).toBe(404);
    expect(byUrl.json.code).toBe('unknown_server');
  });

  it('when a write is forwarded, then the body is the form the BFF built from validated params', async () => {
    const answer = await admin.post('/api/servers/cap/whm/twofactorauth_set_issuer', {
      issuer: '"My Host"',
    });
    expect(answer.status, answer.text).toBe(200);
    const [request] = upstream.requests;
    expect(request!.method).toBe('POST');
    expect(request!.url).toBe('/json-api/twofactorauth_set_issuer');
    expect(request!.body).toBe('api.version=1&issuer=My+Host');
    expect(request!.headers['content-type']).toBe('application/x-www-form-urlencoded');
    expect(request!.headers.cookie).toBeUndefined();
  });

  it('when WHM sets a cookie, then the browser never sees it', async () => {
    const answer = await admin.get('/api/servers/cap/whm/twofactorauth_policy_status');
    expect(answer.status).toBe(200);
    expect(answer.headers['set-cookie']).toBeUndefined();
    expect(answer.text).not.toContain('upstream-secret');
  });

  it('when WHM redirects, then the answer is a 502 and the redirect is not followed', async () => {
    upstream.respond = (_request, res) => {
      res.statusCode = 302;
      res.setHeader('location', 'http://127.0.0.1:1/elsewhere');
      res.end();
    };
    const answer = await admin.get('/api/servers/cap/whm/twofactorauth_policy_status');
    expect(answer.status).toBe(502);
    expect(answer.json.code).toBe('upstream_unavailable');
    expect(answer.headers.location).toBeUndefined();
    expect(upstream.requests).toHaveLength(1);
  });
});

describe('upstream credentials', () => {
  it('when WHM refuses the token, then the answer is 502 and says nothing of the token', async () => {
    upstream.respond = (_request, res) => {
      res.statusCode = 401;
      res.end('Access denied');
    };
    const answer = await admin.get('/api/servers/cap/whm/twofactorauth_policy_status');
    expect(answer.status).toBe(502);
    expect(answer.json.code).toBe('upstream_unavailable');
    expect(answer.text).not.toContain(TOKEN);
  });
});

describe('SECURITY 9: answers are checked against the contract', () => {
  it('when WHM adds fields the contract does not list, then they are dropped', async () => {
    const accounts = await admin.get('/api/servers/cap/whm/listaccts');
    expect(accounts.json.data).toEqual({
      acct: [{ user: 'bob', domain: 'bob.example', owner: 'root' }],
    });
    const configs = await admin.get('/api/servers/cap/whm/twofactorauth_get_user_configs');
    expect(configs.text).not.toContain('LEAK');
    expect(configs.json).toEqual({
      data: { bob: { is_enabled: 1, primary_domain: 'bob.example' } },
      metadata: { command: 'twofactorauth_get_user_configs', reason: 'OK', result: 1 },
    });
  });

  it('when WHM’s data breaks the contract, then the answer is 502 upstream_unavailable', async () => {
    upstream.respond = (_request, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify(envelope('listaccts', { acct: 'not a list' })));
    };
    const answer = await admin.get('/api/servers/cap/whm/listaccts');
    expect(answer.status).toBe(502);
    expect(answer.json.code).toBe('upstream_unavailable');
  });

  it('when WHM answers result 0, then the answer is 422 whm_refused carrying WHM’s reason', async () => {
    upstream.respond = (_request, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ metadata: { result: 0, reason: 'Failed to enable the policy.' } }));
    };
    const answer = await admin.post('/api/servers/cap/whm/twofactorauth_enable_policy', {});
    expect(answer.status).toBe(422);
    expect(answer.json).toMatchObject({
      code: 'whm_refused',
      message: 'Failed to enable the policy.',
    });
  });
});

describe('SECURITY 6: params are validated, never forwarded raw', () => {
  const reads: [string, string][] = [
    ['listaccts?want=user&want=domain', 'want'],
    ['twofactorauth_get_user_configs?user[]=x', 'user[]'],
    ['twofactorauth_get_user_configs?user=a&user-1=root', 'user-1'],
    ['twofactorauth_get_user_configs?__proto__=x', '__proto__'],
    ['twofactorauth_get_user_configs?constructor=x', 'constructor'],
    ['twofactorauth_get_user_configs?user=Root', 'user'],
    ['twofactorauth_get_user_configs?user=bob%00', 'user'],
    ['twofactorauth_get_user_configs?user=bob%0d%0aX-Injected:%201', 'user'],
    [`listaccts?search=${'a'.repeat(2000)}`, 'search'],
    ['listaccts?searchtype=everything', 'searchtype'],
    [
      'listaccts?api.filter.enable=1&api.filter.a.field=user&api.filter.a.arg0=x&api.filter.a.type=evil',
      'api.filter.0.type',
    ],
    ['listaccts?api.version=2', 'api.version'],
    ['listaccts?api.sneaky=1', 'api.sneaky'],
    ['twofactorauth_policy_status?user=bob', 'user'],
    ['twofactorauth_policy_status?%E0%A4%A=1', 'query'],
  ];
  for (const [path, field] of reads) {
    it(`when a read asks ${path.slice(0, 80)}, then it is refused with 400 naming ${field}`, async () => {
      const answer = await admin.get(`/api/servers/cap/whm/${path}`);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.code).toBe('invalid_params');
      expect(answer.json.field).toBe(field);
      expect(upstream.requests).toHaveLength(0);
    });
  }

  const writes: [string, unknown, string][] = [
    ['twofactorauth_set_issuer', { issuer: 'ok', extra: 1 }, 'extra'],
    ['twofactorauth_set_issuer', JSON.parse('{"__proto__": {"issuer": "x"}}'), '__proto__'],
    ['twofactorauth_set_issuer', { issuer: 'bad\u0007bell' }, 'issuer'],
    ['twofactorauth_set_issuer', { issuer: ['a', 'b'] }, 'issuer'],
    ['twofactorauth_set_issuer', [1, 2], 'body'],
    ['twofactorauth_set_tfa_config', { secret: 'ABC', tfa_token: '12345' }, 'tfa_token'],
    [
      'twofactorauth_remove_user_config',
      { user: 'bob', 'user-1': 'root', reason: 'lost phone' },
      'user-1',
    ],
    ['twofactorauth_remove_user_config', { user: 'bob' }, 'reason'],
    ['twofactorauth_remove_user_config', { user: 'bob', reason: 'no' }, 'reason'],
    ['twofactorauth_remove_user_config', { user: [], reason: 'lost phone' }, 'user'],
    ['twofactorauth_remove_user_config', { user: ['bob', 'Bad!'], reason: 'lost phone' }, 'user.1'],
    ['twofactorauth_remove_user_config', { user: { $ne: 1 }, reason: 'lost phone' }, 'user'],
  ];
  for (const [fn, body, field] of writes) {
    it(`when ${fn} gets ${JSON.stringify(body).slice(0, 60)}, then it is refused with 400 naming ${field}`, async () => {
      await admin.stepUp();
      const answer = await admin.post(`/api/servers/cap/whm/${fn}`, body);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.code).toBe('invalid_params');
      expect(answer.json.field).toBe(field);
      expect(upstream.requests).toHaveLength(0);
    });
  }

  it('when a read carries a body, then it is refused', async () => {
    const answer = await admin.request('GET', '/api/servers/cap/whm/listaccts', {
      rawBody: 'want=user',
    });
    expect(answer.status).toBe(400);
    expect(upstream.requests).toHaveLength(0);
  });

  it('when a list of users is removed, then WHM gets user, user-0, ... as cPanel names repeats', async () => {
    await admin.stepUp();
    const answer = await admin.post('/api/servers/cap/whm/twofactorauth_remove_user_config', {
      user: ['bob', 'carol'],
      reason: 'ticket 77',
    });
    expect(answer.status, answer.text).toBe(200);
    const removal = upstream.requests.find((r) =>
      r.url.startsWith('/json-api/twofactorauth_remove_user_config'),
    );
    expect(removal!.body).toBe('api.version=1&user=bob&user-0=carol');
    expect(removal!.body).not.toContain('ticket');
    expect(answer.json.results).toEqual([
      { user: 'bob', outcome: 'removed' },
      { user: 'carol', outcome: 'failed', reason: 'WHM did not report this account.' },
    ]);
  });
});

describe('SECURITY 7: encoded path tricks', () => {
  const paths = [
    '/api/servers/cap/whm/%2e%2e',
    '/api/servers/cap/whm/%2e%2e%2f%2e%2e%2fjson-api%2flistaccts',
    '/api/servers/cap/whm/listaccts%2f..%2f..%2fcreateacct',
    '/api/servers/cap/whm/%252e%252e%252flistaccts',
    '/api/servers/cap/whm/listaccts%5c..%5ccreateacct',
    '/api/servers/cap/whm/../..',
    '/api/servers/cap/whm/../../json-api/createacct',
    '/api/servers/cap/whm/./listaccts/',
    '/api/servers/cap/whm/listaccts/..',
    '/api/servers/cap/whm/listaccts%00',
    '/api/servers/cap/whm/listaccts;createacct',
    '/api/servers/cap/whm//listaccts',
    '/api/servers/%2e%2e/whm/listaccts',
    '/api/servers/cap%2f..%2fother/whm/listaccts',
    '/api/servers/cap/whm/listaccts%3fapi.version=1%26user=root',
    '/api/servers/cap/whm/LISTACCTS',
  ];
  for (const path of paths) {
    it(`when the path is ${path}, then it is refused and nothing reaches WHM`, async () => {
      const answer = await admin.get(path);
      expect(answer.status).toBeGreaterThanOrEqual(400);
      expect(answer.status).toBeLessThan(500);
      expect(upstream.requests).toHaveLength(0);
    });
  }
});

describe('SECURITY 12: the cookie outside loopback demo mode', () => {
  it('when a real WHM is configured, then the cookie is __Host- prefixed and Secure', async () => {
    const answer = await t.anon().request('POST', '/api/session', {
      body: { username: 'viewer', password: 'demo-password-for-tests' },
      csrf: false,
    });
    const cookie = String(answer.headers['set-cookie']);
    expect(cookie).toMatch(/^__Host-console_session=/);
    expect(cookie).toContain('; Secure');
    expect(cookie).toContain('Path=/');
    expect(cookie).toContain('HttpOnly');
    expect(cookie).toContain('SameSite=Strict');
  });
});
