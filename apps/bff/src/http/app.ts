import { existsSync } from 'node:fs';
import { join } from 'node:path';
import express, { type Express } from 'express';
import type { Logger } from 'pino';
import { precompressedAssets } from '../compression/assets.js';
import type { Database } from '../db/database.js';
import type { ConsoleMetrics } from '../metrics/metrics.js';
import { metricsRoute } from '../metrics/routes.js';
import { errors } from '../errors.js';
import { errorHandler, handle, noStore, requestId, requestLog } from './middleware.js';
import { apiRouter, type ApiDeps } from './api.js';
import { securityHeaders } from './security-headers.js';

export interface AppDeps extends ApiDeps {
  logger: Logger;
  db: Database;
  /** Number of trusted reverse-proxy hops (never `true`). */
  trustProxyHops: number;
  /** The built SPA; when missing, a page says it is not built. */
  webDistDir?: string | undefined;
  /** Prometheus figures, with the token scrapers send (absent: /metrics is not found). */
  metrics?: { registry: ConsoleMetrics; token: string } | undefined;
}

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Console</title></head>
<body><h1>The console's web app is not built</h1><p>Run <code>pnpm build</code>, then reload. The API under <code>/api</code> works.</p></body></html>`;

export function createApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxyHops);
  app.set('query parser', false);
  app.set('etag', false);

  app.use(requestId());
  app.use(requestLog(deps.logger));
  app.use(securityHeaders(deps.trustProxyHops));

  app.get('/healthz', noStore(), (_req, res) => {
    res.json({ status: 'ok' });
  });
  app.get(
    '/readyz',
    noStore(),
    handle(async (_req, res) => {
      try {
        await deps.db.ping();
        res.json({ status: 'ready' });
      } catch {
        res.status(503).json({ status: 'unavailable' });
      }
    }),
  );

  app.get('/metrics', noStore(), metricsRoute(deps.metrics));

  app.use('/api', noStore(), ...(deps.compressor ? [deps.compressor.json()] : []), apiRouter(deps));

  const dist = deps.webDistDir;
  if (dist && existsSync(join(dist, 'index.html'))) {
    const assets = precompressedAssets(dist);
    app.use(assets.handler);
    app.use(
      express.static(dist, {
        index: false,
        redirect: false,
        dotfiles: 'ignore',
        setHeaders: assets.setHeaders,
      }),
    );
    app.get('/{*path}', (_req, res) => {
      res.setHeader('cache-control', 'no-cache');
      res.sendFile(join(dist, 'index.html'));
    });
  } else {
    app.get('/{*path}', (_req, res) => {
      res.status(200).type('html').send(NOT_BUILT_PAGE);
    });
  }
  app.use(() => {
    throw errors.notFound();
  });
  app.use(errorHandler(deps.logger));
  return app;
}
