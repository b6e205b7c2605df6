import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

// The capabilities have routers of their own; /api must still answer as the one router it was.
let t: TestConsole;
let admin: Client;
beforeAll(async () => {
  t = await startTestConsole();
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

const known = [
  '/api/session',
  '/api/servers',
  '/api/audit',
  '/api/audit.csv',
  '/api/operators',
  '/api/settings',
  '/api/me/sessions',
];

describe('/api, mounted capability by capability', () => {
  it('when OPTIONS names a path a capability knows, then /api answers 404 JSON, not an Allow list', async () => {
    for (const path of known) {
      const answer = await admin.request('OPTIONS', path);
      expect(answer.status, path).toBe(404);
      expect(answer.json?.code, path).toBe('not_found');
      expect(answer.headers.allow, path).toBeUndefined();
    }
  });

  it('when OPTIONS names the WHM route, then the WHM checks refuse the method', async () => {
    const answer = await admin.request('OPTIONS', '/api/servers/local/whm/listaccts');
    expect(answer.status).toBe(405);
    expect(answer.json.code).toBe('method_not_allowed');
  });

  it('when OPTIONS comes without a session, then it is refused before any route (401)', async () => {
    const answer = await t.anon().request('OPTIONS', '/api/session');
    expect(answer.status).toBe(401);
    expect(answer.headers.allow).toBeUndefined();
  });

  it('when a known path has a trailing slash or another case, then it is not found', async () => {
    for (const path of known) {
      for (const odd of [`${path}/`, `/api${path.slice(4).toUpperCase()}`]) {
        const answer = await admin.get(odd);
        expect(answer.status, odd).toBe(404);
        expect(answer.json?.code, odd).toBe('not_found');
      }
    }
  });
});
