import http, {
  type IncomingHttpHeaders,
  type IncomingMessage,
  type ServerResponse,
} from 'node:http';
import https from 'node:https';
import type { Socket } from 'node:net';
import { createProxyMiddleware, proxyEventsPlugin } from 'http-proxy-middleware';
import { whmAuthorization, type WhmFunctionName } from '@console/whm-api';
import { performance } from 'node:perf_hooks';
import { signal, signals } from '../metrics/signals.js';
import type { WhmServerConfig } from './servers.js';
import { collect, faultOf, UpstreamFault, watchConnect } from './upstream-faults.js';

/** A request the BFF built itself from validated params: nothing in it came from the browser raw. */
export interface PreparedCall {
  fn: WhmFunctionName;
  method: 'GET' | 'POST';
  /** `/json-api/FUNCTION?api.version=1&...` */
  path: string;
  /** Form body for writes. */
  body?: string;
  /** Reads may be retried once and shared between identical concurrent callers. */
  idempotent: boolean;
}

export interface RawAnswer {
  status: number;
  headers: IncomingHttpHeaders;
  body: Buffer;
}

/**
 * How long connecting (TCP, and TLS for https) may take before the server counts as unreachable.
 * Without it, a WHM whose address swallows packets held every read for the whole answer timeout
 * (10 s by default), and the SPA's two retries tripled that.
 */
export const DEFAULT_CONNECT_TIMEOUT_MS = 2_000;

export interface UpstreamOptions {
  timeoutMs: number;
  /** Capped at `timeoutMs`; DEFAULT_CONNECT_TIMEOUT_MS when left out. */
  connectTimeoutMs?: number;
  maxSockets: number;
  maxResponseBytes?: number;
}

/** Carries the browser's req/res only as the transport http-proxy-middleware needs. */
export type ProxyTransport = (upstream: WhmUpstream, call: PreparedCall) => Promise<RawAnswer>;

export interface WhmUpstream {
  readonly server: WhmServerConfig;
  /** Forwards a prepared call through http-proxy-middleware, buffering the answer. */
  viaProxy(req: IncomingMessage, res: ServerResponse, call: PreparedCall): Promise<RawAnswer>;
  /** The BFF's own reads (prior state, owners, re-read after a timeout): same agent, same TLS. */
  direct(call: PreparedCall): Promise<RawAnswer>;
  /** Upstream requests started (for tests and the benchmark report). */
  readonly started: () => number;
  close(): void;
}

interface Pending {
  call: PreparedCall;
  attempts: number;
  settled: boolean;
  sent: boolean;
  proxyReq?: http.ClientRequest;
  resolve(answer: RawAnswer): void;
  reject(error: Error): void;
}

const RETRYABLE_CODES = new Set(['ECONNRESET', 'EPIPE']);

export function createUpstream(server: WhmServerConfig, options: UpstreamOptions): WhmUpstream {
  const target = new URL(server.url);
  const secure = target.protocol === 'https:';
  const agentOptions = {
    keepAlive: true,
    maxSockets: options.maxSockets,
    maxFreeSockets: options.maxSockets,
    timeout: options.timeoutMs * 2,
  };
  const agent = secure
    ? new https.Agent({ ...agentOptions, ...(server.ca ? { ca: server.ca } : {}) })
    : new http.Agent(agentOptions);
  const authorization = whmAuthorization(server.user, server.token);
  const maxBytes = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const connectTimeoutMs = Math.min(
    options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS,
    options.timeoutMs,
  );
  const unreachable = () =>
    new UpstreamFault(
      'network',
      `WHM server “${server.label}” could not be reached: no connection within ${connectTimeoutMs} ms`,
      'ECONNECT_TIMEOUT',
    );
  const pending = new WeakMap<IncomingMessage, Pending>();
  const inFlight = new Map<string, Promise<RawAnswer>>();
  let started = 0;

  /** The only headers WHM ever sees from the BFF. */
  const setHeaders = (request: http.ClientRequest, call: PreparedCall) => {
    for (const name of request.getHeaderNames()) request.removeHeader(name);
    request.setHeader('host', target.host);
    request.setHeader('authorization', authorization);
    request.setHeader('accept', 'application/json');
    if (call.body !== undefined) {
      request.setHeader('content-type', 'application/x-www-form-urlencoded');
      request.setHeader('content-length', Buffer.byteLength(call.body));
    }
  };

  const proxy = createProxyMiddleware<IncomingMessage, ServerResponse>({
    target: server.url,
    changeOrigin: true,
    agent,
    secure: true,
    xfwd: false,
    followRedirects: false,
    selfHandleResponse: true,
    proxyTimeout: options.timeoutMs,
    timeout: options.timeoutMs + 1_000,
    // Without the default plugins: one of them destroys the upstream answer when the browser that
    // asked first goes away, and a shared read serves others too. Faults are ours to answer.
    ejectPlugins: true,
    plugins: [proxyEventsPlugin],
    on: {
      proxyReq(proxyReq, req) {
        const entry = pending.get(req);
        if (!entry) {
          proxyReq.destroy();
          return;
        }
        started += 1;
        entry.proxyReq = proxyReq;
        entry.sent = false;
        proxyReq.once('finish', () => {
          entry.sent = true;
        });
        watchConnect(proxyReq, connectTimeoutMs, secure, () => {
          entry.sent = false;
          entry.reject(unreachable());
          proxyReq.destroy();
        });
        setHeaders(proxyReq, entry.call);
        // The request is sent whole, now: with the body the BFF built (express consumed the
        // browser's), and without waiting for the browser's request stream to end — if that
        // browser has gone, the stream never ends, and a shared read serves others too.
        proxyReq.end(entry.call.body);
      },
      proxyRes(proxyRes, req) {
        const entry = pending.get(req);
        if (!entry) {
          proxyRes.destroy();
          return;
        }
        collect(proxyRes, server.label, maxBytes, (error, body) => {
          if (error) entry.reject(error);
          else
            entry.resolve({
              status: proxyRes.statusCode ?? 0,
              headers: proxyRes.headers,
              body: body!,
            });
        });
      },
      error: onProxyError,
      // http-proxy's name for a reset seen after the browser's own socket closed: the call may
      // be shared by other callers, so it is a fault like any other.
      econnreset: onProxyError,
    },
  });

  function onProxyError(error: Error, req: IncomingMessage, res: ServerResponse | Socket): void {
    const entry = pending.get(req);
    if (!entry || entry.settled) return;
    const code = (error as NodeJS.ErrnoException).code;
    if (entry.call.idempotent && entry.attempts < 2 && code && RETRYABLE_CODES.has(code)) {
      entry.attempts += 1;
      void proxy(req, res as ServerResponse);
      return;
    }
    entry.reject(faultOf(error, server.label));
  }

  function forward(req: IncomingMessage, res: ServerResponse, call: PreparedCall) {
    return new Promise<RawAnswer>((resolve, reject) => {
      const entry: Pending = {
        call,
        attempts: 1,
        settled: false,
        sent: false,
        resolve(answer) {
          if (entry.settled) return;
          entry.settled = true;
          clearTimeout(timer);
          resolve(answer);
        },
        reject(error) {
          if (entry.settled) return;
          entry.settled = true;
          clearTimeout(timer);
          if (error instanceof UpstreamFault && entry.sent) error.delivered = true;
          reject(error);
        },
      };
      const timer = setTimeout(() => {
        entry.reject(
          new UpstreamFault('timeout', `WHM did not answer within ${options.timeoutMs} ms`),
        );
        entry.proxyReq?.destroy();
      }, options.timeoutMs);
      pending.set(req, entry);
      req.url = call.path;
      req.method = call.method;
      void proxy(req, res).catch((error: unknown) => entry.reject(faultOf(error, server.label)));
    });
  }

  function direct(call: PreparedCall): Promise<RawAnswer> {
    return new Promise<RawAnswer>((resolve, reject) => {
      started += 1;
      let settled = false;
      let sent = false;
      const settle = (error: Error | null, answer?: RawAnswer) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        if (error instanceof UpstreamFault && sent) error.delivered = true;
        if (error) reject(error);
        else resolve(answer!);
      };
      const request = (secure ? https : http).request({
        protocol: target.protocol,
        hostname: target.hostname,
        port: target.port,
        method: call.method,
        path: call.path,
        agent,
      });
      setHeaders(request, call);
      watchConnect(request, connectTimeoutMs, secure, () => {
        sent = false;
        settle(unreachable());
        request.destroy();
      });
      const timer = setTimeout(() => {
        settle(new UpstreamFault('timeout', `WHM did not answer within ${options.timeoutMs} ms`));
        request.destroy();
      }, options.timeoutMs);
      request.once('finish', () => {
        sent = true;
      });
      request.on('error', (error) => settle(faultOf(error, server.label)));
      request.on('response', (response) => {
        collect(response, server.label, maxBytes, (error, body) => {
          if (error) settle(error);
          else
            settle(null, {
              status: response.statusCode ?? 0,
              headers: response.headers,
              body: body!,
            });
        });
      });
      request.end(call.body);
    });
  }

  /** Identical reads in flight at the same moment share one upstream call. */
  function shared(key: string, run: () => Promise<RawAnswer>): Promise<RawAnswer> {
    const existing = inFlight.get(key);
    if (existing) return existing;
    const promise = run().finally(() => inFlight.delete(key));
    inFlight.set(key, promise);
    return promise;
  }

  /** Reports each call's time and outcome for the metrics, when anyone listens. */
  function observed(call: PreparedCall, answer: Promise<RawAnswer>): Promise<RawAnswer> {
    if (!signals.upstreamCall.hasSubscribers) return answer;
    const started = performance.now();
    const report = (outcome: string, fault?: string) =>
      signal(signals.upstreamCall, () => ({
        server: server.id,
        fn: call.fn,
        seconds: (performance.now() - started) / 1000,
        outcome,
        ...(fault ? { fault } : {}),
      }));
    answer.then(
      (raw) => report(String(raw.status)),
      (error: unknown) => {
        const fault = error instanceof UpstreamFault ? error.kind : 'error';
        report(fault, fault);
      },
    );
    return answer;
  }

  return {
    server,
    // Proxied reads are shared (and bounded) one level up, in shared-reads.ts.
    viaProxy: (req, res, call) => observed(call, forward(req, res, call)),
    direct(call) {
      if (!call.idempotent) return observed(call, direct(call));
      return shared(call.path, () => observed(call, direct(call)));
    },
    started: () => started,
    close() {
      agent.destroy();
    },
  };
}
