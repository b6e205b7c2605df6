import diagnosticsChannel from 'node:diagnostics_channel';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import { performance } from 'node:perf_hooks';
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';
import {
  signals,
  type AuditWriteSignal,
  type LoginFailureSignal,
  type SharedReadJoinSignal,
  type ThrottleSignal,
  type UpstreamCallSignal,
} from './signals.js';

/** Where a route's label is kept when no Express route names it (the hot read path). */
const ROUTE = Symbol('metrics route');
const STARTED = Symbol('metrics started');

type Labelled = { [ROUTE]?: string; [STARTED]?: number };

/** The hot read path names its route itself: Express never sees those requests. */
export function nameRoute(res: ServerResponse, route: string): void {
  (res as ServerResponse & Labelled)[ROUTE] = route;
}

interface ExpressRequest extends IncomingMessage {
  route?: { path?: unknown };
  baseUrl?: string;
  originalUrl?: string;
}

/**
 * A request's route as a label: the route's pattern, never its path (no server ids, account
 * names or tokens from the URL), so the label's values are as few as the API's routes.
 */
function routeOf(req: ExpressRequest, res: ServerResponse & Labelled): string {
  const named = res[ROUTE];
  if (named) return named;
  const pattern = req.route?.path;
  const url = req.originalUrl ?? req.url ?? '';
  if (typeof pattern === 'string') {
    // Express puts baseUrl back once an error leaves the router; every route under /api is
    // mounted at /api (app.ts), every other route on the app itself.
    const base = req.baseUrl || (url.startsWith('/api/') ? '/api' : '');
    return `${base}${pattern}`;
  }
  if (url.startsWith('/api/') || url === '/api') return '/api (no route)';
  if (url === '/metrics' || url.startsWith('/metrics?')) return '/metrics';
  return '(web app)';
}

export interface MetricsSources {
  /** Sessions signed in now (a database count, read when scraped). */
  activeSessions(): Promise<number>;
}

const LATENCY_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];

/**
 * The console's figures for Prometheus (`GET /metrics`, docs/metrics.md): HTTP requests by route
 * and status, WHM calls by server and function, shared-read joins, sessions, audit writes, login
 * failures and throttles, and the process's own (memory, CPU, event loop).
 */
export class ConsoleMetrics {
  readonly registry = new Registry();
  private readonly unsubscribe: (() => void)[] = [];

  /** The console's HTTP server, once it exists: only its requests are counted. */
  private server: Server | undefined;

  watch(server: Server): void {
    this.server = server;
  }

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    collectDefaultMetrics({ register: this.registry });

    const http = new Histogram({
      name: 'console_http_request_duration_seconds',
      help: 'Requests the console answered, by route pattern, method and status, and how long they took.',
      labelNames: ['route', 'method', 'status'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const upstream = new Histogram({
      name: 'console_whm_call_duration_seconds',
      help: 'Calls to WHM by server id, function and outcome (HTTP status or fault), and how long they took.',
      labelNames: ['server', 'function', 'outcome'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    const upstreamFaults = new Counter({
      name: 'console_whm_faults_total',
      help: 'Calls to WHM that got no HTTP answer, by server id, function and fault.',
      labelNames: ['server', 'function', 'fault'],
      registers,
    });
    const joins = new Counter({
      name: 'console_shared_read_joins_total',
      help: 'Reads answered by joining an identical read already on its way to WHM.',
      labelNames: ['server', 'function'],
      registers,
    });
    const audits = new Counter({
      name: 'console_audit_writes_total',
      help: 'Audit records written, by kind and outcome.',
      labelNames: ['kind', 'outcome'],
      registers,
    });
    const loginFailures = new Counter({
      name: 'console_login_failures_total',
      help: 'Sign-ins refused, by what was wrong (password or code).',
      labelNames: ['reason'],
      registers,
    });
    const throttles = new Counter({
      name: 'console_throttled_total',
      help: 'Requests refused by a rate limit, by limit.',
      labelNames: ['limiter'],
      registers,
    });
    new Gauge({
      name: 'console_active_sessions',
      help: 'Operator sessions signed in now.',
      registers,
      async collect() {
        this.set(await sources.activeSessions());
      },
    });

    this.listen('http.server.request.start', (message) => {
      const { request, server: from } = message as { request: Labelled; server: Server };
      if (from === this.server) request[STARTED] = performance.now();
    });
    this.listen('http.server.response.finish', (message) => {
      const {
        request,
        response,
        server: from,
      } = message as {
        request: ExpressRequest & Labelled;
        response: ServerResponse & Labelled;
        server: Server;
      };
      const started = request[STARTED];
      if (from !== this.server || started === undefined) return;
      http
        .labels(routeOf(request, response), request.method ?? 'GET', String(response.statusCode))
        .observe((performance.now() - started) / 1000);
    });
    this.listen(signals.upstreamCall.name, (message) => {
      const call = message as UpstreamCallSignal;
      upstream.labels(call.server, call.fn, call.outcome).observe(call.seconds);
      if (call.fault) upstreamFaults.labels(call.server, call.fn, call.fault).inc();
    });
    this.listen(signals.sharedReadJoin.name, (message) => {
      const join = message as SharedReadJoinSignal;
      joins.labels(join.server, join.fn).inc();
    });
    this.listen(signals.auditWrite.name, (message) => {
      const write = message as AuditWriteSignal;
      audits.labels(write.kind, write.outcome).inc();
    });
    this.listen(signals.loginFailure.name, (message) => {
      loginFailures.labels((message as LoginFailureSignal).reason).inc();
    });
    this.listen(signals.throttle.name, (message) => {
      throttles.labels((message as ThrottleSignal).limiter).inc();
    });
  }

  private listen(name: string | symbol, onMessage: (message: unknown) => void): void {
    diagnosticsChannel.subscribe(name, onMessage);
    this.unsubscribe.push(() => diagnosticsChannel.unsubscribe(name, onMessage));
  }

  /** The text Prometheus scrapes. */
  text(): Promise<string> {
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }

  close(): void {
    for (const stop of this.unsubscribe.splice(0)) stop();
    this.registry.clear();
  }
}
