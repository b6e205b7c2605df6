import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleSize {
  files: { file: string; gzipBytes: number }[];
  initialGzipBytes: number;
}

/** The JavaScript a first visit downloads: the entry script and what index.html preloads. */
export function initialJavaScript(distDir: string): BundleSize {
  const html = readFileSync(join(distDir, 'index.html'), 'utf8');
  const sources = new Set<string>();
  for (const match of html.matchAll(/<script[^>]*type="module"[^>]*src="([^"]+)"/g)) {
    if (match[1]) sources.add(match[1]);
  }
  for (const match of html.matchAll(/<link[^>]*rel="modulepreload"[^>]*href="([^"]+)"/g)) {
    if (match[1]) sources.add(match[1]);
  }
  const files = [...sources].map((source) => {
    const body = readFileSync(join(distDir, source.replace(/^\//, '')));
    return { file: source, gzipBytes: gzipSync(body, { level: 9 }).length };
  });
  return { files, initialGzipBytes: files.reduce((sum, f) => sum + f.gzipBytes, 0) };
}
