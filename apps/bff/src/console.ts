// The composition root: every store, service, upstream and timer is made here and handed down;
// it grows by a few lines with each capability, hence its length.
import { randomBytes } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import type { IncomingMessage, RequestListener, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import type { Simulator, SimulatorOptions } from '@console/whm-sim';
import { loadAuditKey, type AuditKey } from './audit/audit-key.js';
import { AuditLog } from './audit/audit-log.js';
import { DENIALS_RECORDED } from './audit/denials.js';
import { Compressor } from './compression/compressor.js';
import { HostedDemo } from './demo/hosted-demo.js';
import { openDatabase, type Database } from './db/database.js';
import { migrate } from './db/migrations.js';
import { isDemoMode, isLoopbackHost, type Env } from './env.js';
import { createApp } from './http/app.js';
import { cookieSettings } from './http/context.js';
import { createConsoleServer } from './http/server.js';
import { DEFAULT_FLEET_REFRESH, FleetRefresher } from './fleet/fleet-refresher.js';
import { FleetQueue } from './fleet/fleet-queue.js';
import { FleetService } from './fleet/fleet-service.js';
import { FleetStore } from './fleet/fleet-store.js';
import { seedDemoHistory } from './fleet/demo-history.js';
import { ConsoleMetrics } from './metrics/metrics.js';
import { createLogger, type Logger } from './logger.js';
import { OperatorService } from './operators/operator-service.js';
import { OperatorStore, type Role } from './operators/operator-store.js';
import {
  createPasswordHasher,
  productionHashing,
  type PasswordHasher,
  type PasswordHashing,
} from './operators/passwords.js';
import { SettingsStore } from './operators/settings-store.js';
import { signInInfo, PRODUCT_NAME } from './operators/sign-in-info.js';
import { SessionService, sessionPolicy, type SessionPolicy } from './sessions/session-service.js';
import { SessionStore } from './sessions/session-store.js';
import { ThrottleStore } from './sessions/throttle-store.js';
import { loadSecretBox } from './servers/secret-box.js';
import { ServerService } from './servers/server-service.js';
import { ServerStore } from './servers/server-store.js';
import { SsoService, ssoSettingsFromEnv } from './sso/sso-service.js';
import { SsoStore } from './sso/sso-store.js';
import { CallerVerifications } from './helpdesk/caller-verification.js';
import { Helpdesk } from './helpdesk/helpdesk.js';
import { MailService, type MailServiceOptions, type SmtpSettings } from './mail/mail-service.js';
import { MailSettingsStore } from './mail/mail-settings.js';
import { ReminderService } from './reminders/reminder-service.js';
import { ReminderStore } from './reminders/reminder-store.js';
import { hotReads } from './whm/hot-reads.js';
import { SetupService, type SetupLink } from './setup/setup-service.js';
import { loadServers, type WhmServerConfig } from './whm/servers.js';
import { createUpstream, type WhmUpstream } from './whm/upstream.js';
import { WhmService } from './whm/whm-service.js';

export const DEMO_OPERATORS: readonly { username: string; role: Role }[] = [
  { username: 'admin', role: 'admin' },
  { username: 'support', role: 'support' },
  { username: 'viewer', role: 'viewer' },
];

export interface ConsoleOptions {
  env: Env;
  logger?: Logger;
  /** An open database (tests); otherwise opened from the env. */
  database?: Database;
  /** Only tests pass cheaper parameters; the default is the production argon2id cost. */
  passwordHashing?: PasswordHashing;
  /** Overrides of the session policy (tests: short idle expiry). */
  sessionPolicy?: Partial<SessionPolicy>;
  /** Servers to use instead of the env (tests: a raw socket server, a bad certificate). */
  servers?: WhmServerConfig[];
  /** Simulator state in memory instead of DATA_DIR (tests). */
  simulatorInMemory?: boolean;
  /**
   * Run the demo simulator on a worker thread (main.ts; needs the built dist). `simulator` is then
   * undefined: tests that drive faults and counters keep it on the main thread.
   */
  simulatorOnWorker?: boolean;
  clock?: () => number;
  /** Whether the fleet refresher reads every server at start and on its interval (default true). */
  fleetRefresh?: boolean;
  /** The fleet's job queue on PostgreSQL (tests: their own schema); default: DATABASE_URL's. */
  fleetQueue?: { connectionString: string; schema: string };
  /** Tests: a mail server of theirs (even in demo mode), quicker retries, the crash hook. */
  mail?: { smtp?: SmtpSettings; worker?: MailServiceOptions['worker'] };
}

export interface Services {
  db: Database;
  audit: AuditLog;
  sessions: SessionService;
  operators: OperatorService;
  whm: WhmService;
  upstreams: Map<string, WhmUpstream>;
  setup: SetupService;
  compressor: Compressor;
  fleet: FleetService;
  fleetRefresher: FleetRefresher;
  mail: MailService;
  mailSettings: MailSettingsStore;
  verifications: CallerVerifications;
  reminders: ReminderService;
}

export interface RunningConsole {
  url: string;
  port: number;
  server: Server;
  services: Services;
  simulator: Simulator | undefined;
  /** The WHM server in demo mode (also when the simulator runs on a worker thread). */
  simulatorUrl: string | undefined;
  /** Set only when the demo simulator's token was generated here (printed for the demo). */
  generatedSimToken: string | undefined;
  /** Outside demo mode while no operator exists: the first admin's one-time link (main.ts prints it). */
  setupLink: SetupLink | undefined;
  demo: boolean;
  /** The hosted demo (DEMO_PUBLIC): its passwords (main.ts prints them) and reset schedule. */
  hosted: HostedDemo | undefined;
  close(): Promise<void>;
}

/** The built SPA: `WEB_DIST_DIR`, else `apps/web/dist` beside this package. */
export function defaultWebDist(env: Env): string {
  if (env.WEB_DIST_DIR) return resolve(env.WEB_DIST_DIR);
  const here = dirname(fileURLToPath(import.meta.url));
  return resolve(here, '..', '..', 'web', 'dist');
}

export async function seedDemoOperators(
  operators: OperatorService,
  store: OperatorStore,
  password: string | ((username: string) => string),
): Promise<void> {
  for (const demo of DEMO_OPERATORS) {
    if (await store.byUsername(demo.username)) continue;
    const own = typeof password === 'string' ? password : password(demo.username);
    await operators.create(null, { ...demo, password: own });
  }
}

export interface CoreServices {
  audit: AuditLog;
  auditKey: AuditKey;
  operatorStore: OperatorStore;
  sessions: SessionService;
  operators: OperatorService;
  policy: SessionPolicy;
  hasher: PasswordHasher;
  throttle: ThrottleStore;
}

async function startSimulatorWorker(
  workerData: SimulatorOptions,
): Promise<{ url: string; close(): Promise<void> }> {
  const worker = new Worker(new URL('./whm/simulator-worker.js', import.meta.url), { workerData });
  const url = await new Promise<string>((resolveUrl, reject) => {
    worker.once('error', reject);
    worker.once('message', (message: { url?: string; error?: string }) => {
      if (message.url) resolveUrl(message.url);
      else reject(new Error(`the demo simulator did not start: ${message.error ?? 'unknown'}`));
    });
  });
  return {
    url,
    close: async () => {
      const closed = new Promise<void>((resolveClose) =>
        worker.once('message', () => resolveClose()),
      );
      worker.postMessage('close');
      await Promise.race([closed, new Promise((resolveWait) => setTimeout(resolveWait, 3_000))]);
      await worker.terminate();
    },
  };
}

/** PostgreSQL from DATABASE_URL, else PGlite in DATA_DIR/pglite. */
export async function openEnvDatabase(env: Env): Promise<Database> {
  if (env.DATABASE_URL) return openDatabase({ url: env.DATABASE_URL });
  const dataDir = resolve(env.DATA_DIR);
  mkdirSync(dataDir, { recursive: true });
  return openDatabase({ dataDir: join(dataDir, 'pglite') });
}

/** Everything but the WHM side: used by the server and by the command-line tools. */
export function createCoreServices(
  db: Database,
  options: {
    env: Env;
    clock?: () => number;
    passwordHashing?: PasswordHashing;
    sessionPolicy?: Partial<SessionPolicy>;
    /** The hosted demo's stricter limits, applied over the rest. */
    sessionPolicyOverrides?: Partial<SessionPolicy>;
    /** Whether this is demo mode (which makes its own audit key); else from the env. */
    demo?: boolean;
  },
): CoreServices {
  const { env } = options;
  const auditKey = loadAuditKey(env, options.demo ?? isDemoMode(env));
  const clock = options.clock ?? Date.now;
  const hasher = createPasswordHasher(options.passwordHashing ?? productionHashing);
  const policy = {
    ...sessionPolicy(env.SESSION_IDLE_MINUTES, env.SESSION_ABSOLUTE_HOURS),
    ...options.sessionPolicy,
    ...options.sessionPolicyOverrides,
  };
  const audit = new AuditLog(db, auditKey, clock);
  const operatorStore = new OperatorStore(db);
  const sessionStore = new SessionStore(db);
  const throttle = new ThrottleStore(db);
  const settings = new SettingsStore(db);
  const sessions = new SessionService({
    sessions: sessionStore,
    operators: operatorStore,
    throttle,
    settings,
    audit,
    hasher,
    policy,
    clock,
  });
  const operators = new OperatorService({
    operators: operatorStore,
    sessions: sessionStore,
    sessionService: sessions,
    settings,
    throttle,
    audit,
    hasher,
    // Operators' authenticator apps show the console by the name it shows itself.
    totpIssuer: PRODUCT_NAME,
    passwordThrottle: policy.totpPerOperator,
    ssoConfigured: env.OIDC_ISSUER !== undefined,
  });
  return { audit, auditKey, operatorStore, sessions, operators, policy, hasher, throttle };
}

/** SMTP_URL and SMTP_FROM (env.ts has checked they come together). */
function smtpFromEnv(env: Env): SmtpSettings | undefined {
  return env.SMTP_URL && env.SMTP_FROM ? { url: env.SMTP_URL, from: env.SMTP_FROM } : undefined;
}

/**
 * One console's state behind the HTTP server: database, simulator, services, the app. Usually one
 * for the process's life; the hosted demo swaps in a new one at each reset (demo/), so nothing a
 * visitor did survives it, cached or stored.
 */
interface Generation {
  app: RequestListener;
  hotRead: (req: IncomingMessage, res: ServerResponse) => boolean;
  services: Services;
  simulator: Simulator | undefined;
  simulatorUrl: string | undefined;
  generatedSimToken: string | undefined;
  setupLink: SetupLink | undefined;
  close(): Promise<void>;
}

interface Shared {
  logger: Logger;
  demo: boolean;
  compressor: Compressor;
  metrics: { registry: ConsoleMetrics; token: string } | undefined;
  /** The hosted demo's schedule and passwords (DEMO_PUBLIC); else undefined. */
  hosted: HostedDemo | undefined;
}

async function assemble(options: ConsoleOptions, shared: Shared): Promise<Generation> {
  const { env } = options;
  const { logger, demo, compressor, metrics, hosted } = shared;
  const dataDir = resolve(env.DATA_DIR);
  const closers: (() => Promise<void> | void)[] = [];
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    // The hosted demo keeps nothing on disk: each generation starts from an empty database.
    let db = hosted ? undefined : options.database;
    if (!db) {
      db = hosted ? await openDatabase({}) : await openEnvDatabase(env);
      const opened = db;
      closers.push(() => opened.close());
    }
    await migrate(db);

    let simulator: Simulator | undefined;
    let generatedSimToken: string | undefined;
    let servers = options.servers ?? loadServers(env);
    if (demo) {
      if (!hosted && !isLoopbackHost(env.HOST)) {
        throw new Error('demo mode only binds to a loopback HOST');
      }
      const token = env.WHM_SIM_TOKEN ?? randomBytes(24).toString('hex');
      if (!env.WHM_SIM_TOKEN) generatedSimToken = token;
      const inMemory = options.simulatorInMemory === true || hosted !== undefined;
      if (!inMemory) mkdirSync(dataDir, { recursive: true });
      const simulatorOptions = {
        host: '127.0.0.1',
        // A reset starts the next simulator while the last still listens: the hosted demo's move.
        port: hosted ? 0 : env.WHM_SIM_PORT,
        rootToken: token,
        accounts: env.WHM_SIM_ACCOUNTS,
        latencyMs: env.WHM_SIM_LATENCY_MS,
        ...(inMemory ? {} : { stateFile: join(dataDir, 'whm-sim.json') }),
      };
      let simulatorUrl: string;
      if (options.simulatorOnWorker) {
        const worker = await startSimulatorWorker(simulatorOptions);
        simulatorUrl = worker.url;
        closers.push(() => worker.close());
      } else {
        // Loaded only in demo mode: a console in front of a real WHM never holds the simulator.
        const { startSimulator } = await import('@console/whm-sim');
        simulator = await startSimulator({
          ...simulatorOptions,
          ...(options.clock ? { clock: options.clock } : {}),
        });
        const running = simulator;
        simulatorUrl = simulator.url;
        closers.push(() => running.close());
      }
      servers = [
        {
          id: 'local',
          label: hosted ? 'Demo server (simulated)' : 'Demo server (simulator)',
          url: simulatorUrl,
          user: 'root',
          token,
          demo: true,
          ...(env.WHM_SIM_SERVERS > 1 ? { tags: ['eu-west'] } : {}),
        },
      ];
      if (env.WHM_SIM_SERVERS > 1) {
        // The rest of the demo's fleet: smaller servers on free ports, in this process.
        const { startFleet } = await import('@console/whm-sim');
        const others = await startFleet({
          servers: env.WHM_SIM_SERVERS - 1,
          basePort: 0,
          host: '127.0.0.1',
          accounts: Math.max(20, Math.round(env.WHM_SIM_ACCOUNTS / 2)),
          seed: 1,
          unreachable: 0,
          slow: 0,
          slowMs: 0,
          latencyMs: env.WHM_SIM_LATENCY_MS,
          stateDir: inMemory ? undefined : join(dataDir, 'whm-sim-fleet'),
        });
        closers.push(() => others.close());
        for (const [index, other] of others.servers.entries()) {
          servers.push({
            id: other.id,
            label: other.label,
            url: other.url,
            user: 'root',
            token: other.token,
            demo: true,
            // Two datacenters even in a small demo, so limiting an operator by tag shows.
            tags: [index % 2 === 0 ? 'us-east' : 'eu-west'],
          });
        }
      }
    }

    const clock = options.clock ?? Date.now;
    const core = createCoreServices(db, {
      env,
      clock,
      ...(options.passwordHashing ? { passwordHashing: options.passwordHashing } : {}),
      ...(options.sessionPolicy ? { sessionPolicy: options.sessionPolicy } : {}),
      ...(hosted ? { sessionPolicyOverrides: hosted.sessionPolicy } : {}),
      demo,
    });
    const { audit, sessions, operators, operatorStore, policy } = core;
    const sealed = await audit.seal();
    if (sealed === 'sealed') {
      logger.warn('audit chain: the records written before AUDIT_KEY_FILE are now sealed under it');
    } else if (sealed === 'left_for_verify') {
      logger.error(
        'audit chain: the head does not verify with this AUDIT_KEY_FILE (another key, or tampering): run audit:verify',
      );
    }
    const upstreams = new Map<string, WhmUpstream>();
    for (const server of servers) {
      upstreams.set(
        server.id,
        createUpstream(server, { timeoutMs: env.WHM_TIMEOUT_MS, maxSockets: env.WHM_MAX_SOCKETS }),
      );
    }
    closers.push(() => upstreams.forEach((upstream) => upstream.close()));
    // Servers an admin added in the console join the same map (servers/): every part reads it.
    const serverService = new ServerService({
      store: new ServerStore(db),
      box: loadSecretBox(env, demo),
      upstreams,
      fixed: new Map(servers.map((server) => [server.id, server.demo ? 'demo' : 'file'] as const)),
      upstreamOptions: { timeoutMs: env.WHM_TIMEOUT_MS, maxSockets: env.WHM_MAX_SOCKETS },
      sessions,
      audit,
      logger,
      clock,
    });
    await serverService.load();
    const mail = new MailService({
      db,
      logger,
      clock,
      smtp: options.mail?.smtp ?? smtpFromEnv(env),
      demo,
      ratePerMinute: env.MAIL_RATE_PER_MINUTE,
      ...(options.mail?.worker ? { worker: options.mail.worker } : {}),
    });
    await mail.start();
    closers.push(() => mail.stop());
    const mailSettings = new MailSettingsStore(db);
    const verifications = new CallerVerifications({
      db,
      audit,
      mail,
      settings: mailSettings,
      upstreams,
      secret: core.auditKey.secret,
      clock,
    });
    const helpdesk = new Helpdesk({ verifications, mail, settings: mailSettings, logger, clock });
    const whm = new WhmService({ upstreams, audit, sessions, helpdesk });
    const fleetStore = new FleetStore(db);
    await fleetStore.forgetAllBut([...upstreams.keys()]);
    // Several instances on one PostgreSQL share the refresh through a queue there (fleet-queue.ts).
    const queueOn =
      options.fleetQueue ??
      (env.DATABASE_URL ? { connectionString: env.DATABASE_URL, schema: 'pgboss' } : undefined);
    const fleetRefresher = new FleetRefresher({
      upstreams,
      store: fleetStore,
      logger,
      queue:
        queueOn && options.fleetRefresh !== false
          ? new FleetQueue({ ...queueOn, intervalMs: env.FLEET_REFRESH_MINUTES * 60_000 }, logger)
          : undefined,
      policy: {
        ...DEFAULT_FLEET_REFRESH,
        intervalMs: env.FLEET_REFRESH_MINUTES * 60_000,
        concurrency: env.FLEET_CONCURRENCY,
      },
      clock,
    });
    const fleet = new FleetService({
      upstreams,
      store: fleetStore,
      refresher: fleetRefresher,
      clock,
    });
    const reminders = new ReminderService({
      upstreams,
      store: new ReminderStore(db),
      mail,
      settings: mailSettings,
      audit,
      concurrency: env.FLEET_CONCURRENCY,
      clock,
    });

    if (demo) {
      await seedDemoOperators(
        operators,
        operatorStore,
        hosted ? (username) => hosted.passwordOf(username) : () => env.CONSOLE_DEMO_PASSWORD,
      );
    }
    const setup = new SetupService({ db, ...core, clock });
    const setupLink = demo ? undefined : await setup.open();
    const ssoSettings = ssoSettingsFromEnv(env);
    const sso = ssoSettings
      ? new SsoService({
          settings: ssoSettings,
          store: new SsoStore(db),
          operators: operatorStore,
          sessions,
          throttle: core.throttle,
          audit,
          logger,
          clock,
        })
      : undefined;

    const secureCookie = !(demo && isLoopbackHost(env.HOST));
    const cookie = cookieSettings(secureCookie, policy.absoluteMs);
    const trustProxyHops = env.TRUST_PROXY_HOPS;
    const app = createApp({
      metrics,
      logger,
      db,
      sessions,
      operators,
      whm,
      audit,
      cookie,
      trustProxyHops,
      compressor,
      webDistDir: defaultWebDist(env),
      setup,
      sso,
      hosted,
      fleet,
      fleetRefresher,
      servers: serverService,
      mail: { service: mail, settings: mailSettings },
      verifications,
      reminders,
      signIn: signInInfo(demo ? demoSignIns(env, hosted) : null, sso?.label),
    });
    const hotRead = hotReads({ sessions, whm, cookie, logger, trustProxyHops, compressor });
    if (options.fleetRefresh !== false) {
      closers.push(() => fleetRefresher.stop());
      await fleetRefresher.start();
      if (demo && servers.length > 1) {
        // A trend from the first minute: 90 days made up behind the first real reading.
        void fleetRefresher
          .refresh()
          .then(() => seedDemoHistory(fleetStore, clock()))
          .catch((error: unknown) => logger.warn({ err: error }, 'demo history failed'));
      }
    }
    const denials = setInterval(() => {
      audit
        .flushDenials()
        .catch((error: unknown) => logger.warn({ err: error }, 'denial summaries failed'));
    }, DENIALS_RECORDED.windowMs);
    denials.unref();
    closers.push(() => clearInterval(denials));
    const purge = setInterval(() => {
      sessions
        .purgeExpired()
        .catch((error: unknown) => logger.warn({ err: error }, 'purge failed'));
    }, 10 * 60_000);
    purge.unref();
    closers.push(() => clearInterval(purge));

    return {
      app,
      hotRead,
      services: {
        db,
        audit,
        sessions,
        operators,
        whm,
        upstreams,
        setup,
        compressor,
        fleet,
        fleetRefresher,
        mail,
        mailSettings,
        verifications,
        reminders,
      },
      simulator,
      simulatorUrl: demo ? servers[0]?.url : undefined,
      generatedSimToken,
      setupLink,
      close: closeAll,
    };
  } catch (error) {
    await closeAll();
    throw error;
  }
}

/** What the sign-in page may show of the demo operators (hosted: only with DEMO_SHOW_SIGNINS). */
function demoSignIns(env: Env, hosted: HostedDemo | undefined) {
  if (!hosted) return { operators: DEMO_OPERATORS, password: env.CONSOLE_DEMO_PASSWORD };
  return {
    operators: DEMO_OPERATORS.map((operator) => ({
      ...operator,
      ...(env.DEMO_SHOW_SIGNINS ? { password: hosted.passwordOf(operator.username) } : {}),
    })),
    password: null,
    hosted: { showSignIns: env.DEMO_SHOW_SIGNINS },
  };
}

/** Opens the database, migrates, starts the demo simulator when no WHM is configured, listens. */
export async function startConsole(options: ConsoleOptions): Promise<RunningConsole> {
  const { env } = options;
  const logger = options.logger ?? createLogger({ level: env.LOG_LEVEL });
  const demo = options.servers === undefined && isDemoMode(env);
  const hosted =
    demo && env.DEMO_PUBLIC
      ? new HostedDemo(
          env,
          options.clock ?? Date.now,
          DEMO_OPERATORS.map((operator) => operator.username),
        )
      : undefined;
  const compressor = new Compressor();
  const metrics = env.METRICS_TOKEN
    ? {
        registry: new ConsoleMetrics({
          activeSessions: () => current.services.sessions.activeSessions(),
        }),
        token: env.METRICS_TOKEN,
      }
    : undefined;
  const shared: Shared = { logger, demo, compressor, metrics, hosted };
  let current = await assemble(options, shared);
  const closers: (() => Promise<void> | void)[] = [() => current.close()];
  if (metrics) closers.push(() => metrics.registry.close());
  const closeAll = async () => {
    for (const close of closers.reverse()) await close();
  };
  try {
    const dispatch = (req: IncomingMessage, res: ServerResponse) => {
      const generation = current;
      if (!generation.hotRead(req, res)) generation.app(req, res);
    };
    const server = createConsoleServer(
      env,
      // Servers an admin adds later bring their own proxy's listener: room for a few hundred.
      current.services.upstreams.size + 500,
      hosted
        ? (req, res) => {
            hosted.admit(req, res).then(
              (admitted) => {
                if (admitted) dispatch(req, res);
              },
              (error: unknown) => {
                logger.error({ err: error }, 'hosted demo: rate limiter failed');
                res.destroy();
              },
            );
          }
        : dispatch,
    );
    metrics?.registry.watch(server);
    server.listen(env.PORT, env.HOST);
    await new Promise<void>((resolveListen, reject) => {
      server.once('listening', resolveListen);
      server.once('error', reject);
    });
    closers.push(
      () =>
        new Promise<void>((resolveClose) => {
          server.close(() => resolveClose());
          server.closeIdleConnections();
          setTimeout(() => server.closeAllConnections(), 5_000).unref();
        }),
    );
    if (hosted) {
      hosted.start(async () => {
        const next = await assemble(options, shared);
        const last = current;
        current = next;
        // Requests already inside the last generation finish there; it closes a moment later.
        setTimeout(() => {
          last
            .close()
            .catch((error: unknown) => logger.warn({ err: error }, 'demo reset: close failed'));
        }, 10_000).unref();
        logger.info('hosted demo: reset');
      });
      closers.push(() => hosted.stop());
    }

    const port = (server.address() as AddressInfo).port;
    const host = env.HOST.includes(':') ? `[${env.HOST}]` : env.HOST;
    let closed: Promise<void> | undefined;
    const running: RunningConsole = {
      url: `http://${host}:${port}`,
      port,
      server,
      get services() {
        return current.services;
      },
      get simulator() {
        return current.simulator;
      },
      get simulatorUrl() {
        return current.simulatorUrl;
      },
      generatedSimToken: current.generatedSimToken,
      setupLink: current.setupLink,
      demo,
      hosted,
      close: () => (closed ??= closeAll()),
    };
    return running;
  } catch (error) {
    await closeAll();
    throw error;
  }
}
