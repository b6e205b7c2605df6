import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { extname, join, resolve } from 'node:path';
import { brotliCompressSync, constants, gzipSync } from 'node:zlib';
import type { Plugin } from 'vite';

const COMPRESSIBLE = new Set(['.js', '.mjs', '.css', '.html', '.svg', '.json', '.txt', '.map']);

/** Writes `.br` (quality 11) and `.gz` (level 9) beside each built text asset of 1 kB or more. */
export function precompress(minBytes = 1024): Plugin {
  let outDir = 'dist';
  return {
    name: 'precompress',
    apply: 'build',
    configResolved(config) {
      outDir = resolve(config.root, config.build.outDir);
    },
    closeBundle() {
      const walk = (dir: string) => {
        for (const entry of readdirSync(dir, { withFileTypes: true })) {
          const path = join(dir, entry.name);
          if (entry.isDirectory()) walk(path);
          else if (COMPRESSIBLE.has(extname(path))) {
            const body = readFileSync(path);
            if (body.length < minBytes) continue;
            const br = brotliCompressSync(body, {
              params: {
                [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
                [constants.BROTLI_PARAM_MODE]: constants.BROTLI_MODE_TEXT,
                [constants.BROTLI_PARAM_SIZE_HINT]: body.length,
              },
            });
            const gz = gzipSync(body, { level: 9 });
            if (br.length < body.length) writeFileSync(`${path}.br`, br);
            if (gz.length < body.length) writeFileSync(`${path}.gz`, gz);
          }
        }
      };
      walk(outDir);
    },
  };
}
