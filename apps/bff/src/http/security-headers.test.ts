import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

let proxied: TestConsole;
beforeAll(async () => {
  proxied = await startTestConsole({ env: { TRUST_PROXY_HOPS: '1' } });
});
afterAll(async () => {
  await proxied.close();
});

describe('HSTS behind a TLS-terminating proxy', () => {
  it('when a trusted proxy says the request came over TLS, then HSTS is sent on every path', async () => {
    const tls = { headers: { 'x-forwarded-proto': 'https' } };
    const admin = await proxied.login('admin');
    for (const answer of [
      await proxied.anon().get('/healthz', tls),
      await admin.get('/api/session', tls),
      await admin.get('/api/servers/local/whm/listaccts?want=user', tls),
    ]) {
      expect(answer.status).toBe(200);
      expect(String(answer.headers['strict-transport-security'])).toMatch(/^max-age=\d+/);
    }
    const plain = await admin.get('/api/servers/local/whm/listaccts?want=user');
    expect(plain.headers['strict-transport-security']).toBeUndefined();
  });
});
