import { EventEmitter } from 'node:events';
import { createServer, type RequestListener, type Server } from 'node:http';
import type { Env } from '../env.js';

/**
 * Node's own timeouts, set when the server is made. Node swaps `headersTimeout` and
 * `requestTimeout` when the first is larger (a stalled body then lived 66 s, not the configured
 * time), so both are the request timeout; and it looks for expired requests only every
 * `connectionsCheckingInterval` (30 s by default), so that is a second at most. Keep-alive stays
 * above common load balancers' 60 s idle time.
 */
export function serverTimeouts(env: Env) {
  const requestTimeout = env.REQUEST_TIMEOUT_MS ?? Math.max(30_000, env.WHM_TIMEOUT_MS * 3);
  return {
    requestTimeout,
    headersTimeout: requestTimeout,
    connectionsCheckingInterval: Math.min(1_000, requestTimeout / 2),
    keepAliveTimeout: 65_000,
  };
}

/** The console's HTTP server: Node's timeouts as above, listeners sized to the WHM servers. */
export function createConsoleServer(
  env: Env,
  whmServers: number,
  listener: RequestListener,
): Server {
  const server = createServer(serverTimeouts(env), listener);
  // http-proxy-middleware subscribes one 'close' listener on this server per proxy (one per WHM
  // server) on its first request: bounded by the servers configured, not a leak, so the limit
  // is that bound plus EventEmitter's default for everything else.
  server.setMaxListeners(whmServers + EventEmitter.defaultMaxListeners);
  return server;
}
