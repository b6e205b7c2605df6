import { request } from 'node:https';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROOT_TOKEN, startTestSimulator, type TestSimulator } from './test-support/simulator.js';

let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator({ tls: true });
});
afterAll(() => t.sim.close());

/** node:https with the pinned CA: undici (and so fetch with a custom CA) is not in this package. */
function getOverTls(url: string, ca?: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request(
      url,
      { ca, headers: { authorization: `whm root:${ROOT_TOKEN}` }, agent: false },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

describe('TLS', () => {
  it('when TLS is on, then the URL is https and the certificate PEM is exposed', () => {
    expect(t.sim.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(t.sim.caCert).toMatch(/^-----BEGIN CERTIFICATE-----/);
  });

  it('when the client pins the certificate, then the call succeeds by IP and by localhost', async () => {
    const path = '/json-api/twofactorauth_policy_status?api.version=1';
    const byIp = await getOverTls(`${t.sim.url}${path}`, t.sim.caCert);
    expect(byIp.status).toBe(200);
    expect(JSON.parse(byIp.body)).toMatchObject({
      metadata: { result: 1 },
      data: { is_enabled: 0 },
    });
    const byName = await getOverTls(`https://localhost:${t.sim.port}${path}`, t.sim.caCert);
    expect(byName.status).toBe(200);
  });

  it('when the client does not pin the certificate, then verification fails', async () => {
    await expect(
      getOverTls(`${t.sim.url}/json-api/twofactorauth_policy_status?api.version=1`),
    ).rejects.toMatchObject({
      code: expect.stringMatching(/SELF_SIGNED|UNABLE_TO_VERIFY/) as unknown,
    });
  });
});
