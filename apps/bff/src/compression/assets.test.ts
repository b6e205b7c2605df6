import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliCompressSync, brotliDecompressSync, gunzipSync, gzipSync } from 'node:zlib';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

const script = Buffer.from(
  `export const rows = ${JSON.stringify(Array.from({ length: 500 }, (_, i) => `row ${i}`))};\n`,
);
let t: TestConsole;
let dist: string;
beforeAll(async () => {
  dist = mkdtempSync(join(tmpdir(), 'bff-dist-'));
  mkdirSync(join(dist, 'assets'));
  writeFileSync(join(dist, 'index.html'), '<!doctype html><title>x</title>');
  writeFileSync(join(dist, 'assets', 'app.js'), script);
  writeFileSync(join(dist, 'assets', 'app.js.br'), brotliCompressSync(script));
  writeFileSync(join(dist, 'assets', 'app.js.gz'), gzipSync(script));
  t = await startTestConsole({ env: { WEB_DIST_DIR: dist } });
});
afterAll(async () => {
  await t.close();
  rmSync(dist, { recursive: true, force: true });
});

async function get(path: string, headers: Record<string, string> = {}) {
  const response = await request(`${t.url}${path}`, { headers });
  return {
    status: response.statusCode,
    headers: response.headers,
    raw: Buffer.from(await response.body.arrayBuffer()),
  };
}

describe('precompressed SPA assets', () => {
  it('when the browser accepts br or gzip, then the sibling file is sent with its coding, type and caching', async () => {
    const plain = await get('/assets/app.js');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.headers.vary).toMatch(/accept-encoding/i);
    expect(plain.raw.equals(script)).toBe(true);
    const br = await get('/assets/app.js', { 'accept-encoding': 'gzip, br' });
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['content-type']).toMatch(/javascript/);
    expect(br.headers['cache-control']).toBe(plain.headers['cache-control']);
    expect(Number(br.headers['content-length'])).toBe(br.raw.length);
    expect(brotliDecompressSync(br.raw).equals(script)).toBe(true);
    const gz = await get('/assets/app.js', { 'accept-encoding': 'gzip' });
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.raw).equals(script)).toBe(true);
    expect(br.headers.etag).not.toBe(plain.headers.etag);
    const again = await get('/assets/app.js', {
      'accept-encoding': 'br',
      'if-none-match': String(br.headers.etag),
    });
    expect(again.status).toBe(304);
  });
});
