import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { negotiateEncoding } from './negotiate.js';

let t: TestConsole;
let cookie: string;
beforeAll(async () => {
  t = await startTestConsole({ accounts: 2_000, env: { WHM_SIM_LATENCY_MS: '150' } });
  cookie = (await t.login('admin')).cookie!;
});
afterAll(async () => {
  await t.close();
});

async function get(path: string, acceptEncoding?: string, method = 'GET', body?: string) {
  const response = await request(`${t.url}${path}`, {
    method: method as 'GET',
    headers: {
      'x-csrf': '1',
      cookie,
      ...(acceptEncoding !== undefined ? { 'accept-encoding': acceptEncoding } : {}),
      ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
    },
    body,
  });
  const raw = Buffer.from(await response.body.arrayBuffer());
  const encoding = response.headers['content-encoding'];
  const text = (
    encoding === 'br' ? brotliDecompressSync(raw) : encoding === 'gzip' ? gunzipSync(raw) : raw
  ).toString();
  return { status: response.statusCode, headers: response.headers, raw, text };
}

const LISTACCTS = '/api/servers/local/whm/listaccts?want=user,domain,owner,plan,suspended';

describe('negotiation', () => {
  it.each([
    [undefined, null],
    ['', null],
    ['identity', null],
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['x-gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['gzip;q=1, br;q=0.5', 'gzip'],
    ['gzip;q=0.5, br;q=0.5', 'br'],
    ['*', 'br'],
    ['*;q=0.5, br;q=0', 'gzip'],
    ['*;q=0', null],
    ['br;q=2, gzip;q=0.2', 'gzip'],
    ['deflate', null],
  ])('Accept-Encoding %j picks %j', (header, expected) => {
    expect(negotiateEncoding(header)).toBe(expected);
  });
});

describe('compressed /api answers over HTTP', () => {
  it('when the browser accepts br, gzip or nothing, then the big read decompresses to the same JSON', async () => {
    const plain = await get(LISTACCTS);
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    const expected = JSON.parse(plain.text);
    expect(plain.raw.length).toBeGreaterThan(50_000);
    for (const [header, coding] of [
      ['gzip, deflate, br', 'br'],
      ['gzip', 'gzip'],
      ['br;q=0, *', 'gzip'],
    ] as const) {
      const answer = await get(LISTACCTS, header);
      expect(answer.headers['content-encoding']).toBe(coding);
      expect(answer.headers.vary).toMatch(/accept-encoding/i);
      expect(Number(answer.headers['content-length'])).toBe(answer.raw.length);
      expect(answer.raw.length).toBeLessThan(plain.raw.length / 4);
      expect(JSON.parse(answer.text)).toEqual(expected);
    }
  });

  it('when the read goes the long way, through Express, then it is compressed the same', async () => {
    // An encoded segment is not for the hot read path (whm/hot-reads.ts): Express's route answers.
    const expressWay = LISTACCTS.replace('/local/', '/loc%61l/');
    const plain = await get(expressWay);
    expect(plain.status).toBe(200);
    const answer = await get(expressWay, 'br');
    expect(answer.headers['content-encoding']).toBe('br');
    expect(answer.headers.vary).toMatch(/accept-encoding/i);
    expect(JSON.parse(answer.text)).toEqual(JSON.parse(plain.text));
  });

  it('when an answer is small, then it goes uncompressed and without Vary, as before', async () => {
    const answer = await get('/api/servers/local/whm/twofactorauth_policy_status', 'br');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-encoding']).toBeUndefined();
    expect(answer.headers.vary).toBeUndefined();
  });

  it('when N callers share one upstream read, then its answer is compressed once per coding', async () => {
    const { compressor } = t.running.services;
    const before = { ...compressor.counts };
    const answers = await Promise.all(
      Array.from({ length: 10 }, (_, index) => get(LISTACCTS, index % 2 ? 'gzip' : 'br')),
    );
    const bodies = new Set(answers.map((answer) => answer.text));
    expect(bodies.size).toBe(1);
    expect(answers.filter((a) => a.headers['content-encoding'] === 'br')).toHaveLength(5);
    expect(compressor.counts.br - before.br).toBe(1);
    expect(compressor.counts.gzip - before.gzip).toBe(1);
  });

  it('when an Express JSON read is big, then it is compressed too; errors never are', async () => {
    for (let index = 0; index < 15; index += 1) {
      await get(
        '/api/servers/local/whm/twofactorauth_set_issuer',
        undefined,
        'POST',
        '{"issuer":"x"}',
      );
    }
    const audit = await get('/api/audit', 'br');
    expect(audit.status).toBe(200);
    expect(audit.headers['content-encoding']).toBe('br');
    expect(JSON.parse(audit.text).records.length).toBeGreaterThan(0);
    const missing = await get('/api/no-such-route-but-a-long-one', 'br');
    expect(missing.status).toBe(404);
    expect(missing.headers['content-encoding']).toBeUndefined();
  });

  it('when an answer carries a secret (TOTP setup, WHM 2FA secret), then it is never compressed', async () => {
    const setup = await get('/api/me/totp/setup', 'br', 'POST', '{}');
    expect(setup.status).toBe(200);
    expect(JSON.parse(setup.text).secret).toBeTruthy();
    expect(setup.headers['content-encoding']).toBeUndefined();
    const generated = await get(
      '/api/servers/local/whm/twofactorauth_generate_tfa_config',
      'br',
      'POST',
      '{}',
    );
    expect(generated.status).toBe(200);
    expect(generated.headers['content-encoding']).toBeUndefined();
  });
});
