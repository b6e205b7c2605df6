import { existsSync, readdirSync } from 'node:fs';
import { extname, join, relative, sep } from 'node:path';
import type { RequestHandler, Response } from 'express';
import { negotiateEncoding, varyOnAcceptEncoding, type Encoding } from './negotiate.js';

const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/** URL paths of the built SPA's files that have `.br`/`.gz` siblings (written by the web build). */
function precompressedFiles(dist: string): Map<string, Set<Encoding>> {
  const found = new Map<string, Set<Encoding>>();
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (!path.endsWith('.br') && !path.endsWith('.gz')) {
        const codings = new Set<Encoding>();
        for (const coding of ['br', 'gzip'] as const) {
          if (existsSync(path + SUFFIX[coding])) codings.add(coding);
        }
        if (codings.size > 0) found.set(`/${relative(dist, path).split(sep).join('/')}`, codings);
      }
    }
  };
  walk(dist);
  return found;
}

/**
 * Serves a precompressed sibling when the browser accepts it: the request is pointed at the
 * `.br`/`.gz` file, which express.static then serves with its usual caching (ETag, 304,
 * Cache-Control); `setHeaders` names the coding and the original file's type.
 */
export function precompressedAssets(dist: string): {
  handler: RequestHandler;
  setHeaders: (res: Response, path: string) => void;
} {
  const files = precompressedFiles(dist);
  return {
    handler: (req, res, next) => {
      const codings = (req.method === 'GET' || req.method === 'HEAD') && files.get(req.path);
      if (codings) {
        varyOnAcceptEncoding(res);
        const coding = negotiateEncoding(req.headers['accept-encoding']);
        if (coding && codings.has(coding)) {
          const query = req.url.indexOf('?');
          req.url = `${req.path}${SUFFIX[coding]}${query === -1 ? '' : req.url.slice(query)}`;
          (res.locals as { precompressed?: { coding: Encoding; type: string } }).precompressed = {
            coding,
            type: extname(req.path.slice(0, -SUFFIX[coding].length)),
          };
        }
      }
      next();
    },
    setHeaders: (res, _path) => {
      const chosen = (res.locals as { precompressed?: { coding: Encoding; type: string } })
        .precompressed;
      if (!chosen) return;
      res.setHeader('content-encoding', chosen.coding);
      res.type(chosen.type);
    },
  };
}
