import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import { build } from 'vite';
import { afterAll, describe, expect, it } from 'vitest';
import { precompress } from '../precompress.ts';

const root = mkdtempSync(join(tmpdir(), 'web-precompress-'));
afterAll(() => rmSync(root, { recursive: true, force: true }));

describe('precompress (the build writes .br and .gz beside its assets)', () => {
  it('when an asset is 1 kB or more, then its .br and .gz decompress to it; smaller files get none', async () => {
    const rows = Array.from({ length: 400 }, (_, i) => `account row ${i}`);
    writeFileSync(join(root, 'main.js'), `document.title = ${JSON.stringify(rows)}.join(',');\n`);
    writeFileSync(
      join(root, 'index.html'),
      '<!doctype html><title>x</title><script type="module" src="./main.js"></script>',
    );
    await build({
      root,
      configFile: false,
      logLevel: 'silent',
      plugins: [precompress()],
      build: { outDir: 'dist', minify: false },
    });
    const assets = join(root, 'dist', 'assets');
    const script = readdirSync(assets).find((name) => name.endsWith('.js'))!;
    const body = readFileSync(join(assets, script));
    expect(body.length).toBeGreaterThan(1024);
    expect(brotliDecompressSync(readFileSync(join(assets, `${script}.br`))).equals(body)).toBe(
      true,
    );
    expect(gunzipSync(readFileSync(join(assets, `${script}.gz`))).equals(body)).toBe(true);
    expect(readFileSync(join(assets, `${script}.br`)).length).toBeLessThan(body.length / 4);
    const html = join(root, 'dist', 'index.html');
    expect(readFileSync(html).length).toBeLessThan(1024);
    expect(existsSync(`${html}.br`)).toBe(false);
    expect(existsSync(`${html}.gz`)).toBe(false);
  });
});
