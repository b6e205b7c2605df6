import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { TokenBook } from './auth.js';
import { CallCounter } from './calls.js';
import { FaultRegistry, type FaultSpec } from './faults.js';
import { accountHasFeature } from './features.js';
import { seedState, type SeedProfile } from './seed.js';
import { createRequestListener } from './server.js';
import { StateStore } from './state-store.js';
import { selfSignedCertificate } from './tls.js';

export interface SimulatorOptions {
  /** Default `127.0.0.1`. */
  host?: string;
  /** Default 0: any free port. */
  port?: number;
  rootToken: string;
  /** Seed accounts when there is no state file yet (default 25). */
  accounts?: number;
  /** One JSON file for the whole state; without it the state lives in memory. */
  stateFile?: string;
  tls?: boolean;
  /** Added to every answer, for benchmarks. */
  latencyMs?: number;
  /** Default `whm.example.test`: root's primary domain and the default issuer. */
  hostname?: string;
  /** Milliseconds since the epoch, for TOTP checks. */
  clock?: () => number;
  /** How a new state is seeded (policy, issuer, coverage, names): one server of a fleet. */
  seed?: SeedProfile;
}

export interface SimulatedAccount {
  user: string;
  domain: string;
  owner: string;
  plan: string;
  /** The contact address as listaccts gives it (`*unknown*` when there is none). */
  email: string;
  suspended: 0 | 1;
  reseller: boolean;
  tfa: boolean;
  /** Whether its package's feature list (with `default` and `disabled`) gives it `twofactorauth`. */
  tfaFeature: boolean;
}

export interface Simulator {
  readonly url: string;
  readonly port: number;
  /** The self-signed certificate (PEM) when `tls`, for clients to pin. */
  readonly caCert?: string;
  readonly faults: { set(spec: FaultSpec): void; clear(): void };
  readonly calls: {
    count(fn?: string): number;
    byFunction(): Record<string, number>;
    reset(): void;
  };
  addToken(user: string, token: string): void;
  accounts(): readonly SimulatedAccount[];
  secretOf(user: string): string | undefined;
  /** Replaces a feature list's entries (`{feature: "0" | "1"}`), creating the list; for tests. */
  setFeatureList(name: string, entries: Record<string, string>): void;
  close(): Promise<void>;
}

export const DEFAULT_ACCOUNTS = 25;
export const DEFAULT_HOSTNAME = 'whm.example.test';

function originHost(host: string): string {
  if (host === '0.0.0.0' || host === '::' || host === '') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
}

export async function startSimulator(options: SimulatorOptions): Promise<Simulator> {
  const host = options.host ?? '127.0.0.1';
  const accountCount = options.accounts ?? DEFAULT_ACCOUNTS;
  if (!Number.isInteger(accountCount) || accountCount < 0) {
    throw new Error(`accounts must be a whole number, got ${accountCount}`);
  }
  const store = await StateStore.open(options.stateFile, () =>
    seedState(accountCount, options.seed),
  );
  const tokens = new TokenBook(store);
  if (tokens.setStartupRootToken(options.rootToken)) await store.commit();
  const faults = new FaultRegistry();
  const calls = new CallCounter();
  const listener = createRequestListener({
    store,
    tokens,
    faults,
    calls,
    hostname: options.hostname ?? DEFAULT_HOSTNAME,
    now: options.clock ?? Date.now,
    latencyMs: options.latencyMs ?? 0,
  });
  const tls = options.tls ? await selfSignedCertificate() : undefined;
  const server: Server = tls
    ? createHttpsServer({ cert: tls.cert, key: tls.key }, listener)
    : createHttpServer(listener);
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `${tls ? 'https' : 'http'}://${originHost(host)}:${port}`;

  return {
    url,
    port,
    caCert: tls?.cert,
    faults: { set: (spec) => faults.set(spec), clear: () => faults.clear() },
    calls: {
      count: (fn) => calls.count(fn),
      byFunction: () => calls.byFunction(),
      reset: () => calls.reset(),
    },
    addToken(user, token) {
      if (tokens.add(user, token)) void store.commit().catch(() => undefined);
    },
    accounts() {
      const { secrets, resellers } = store.state;
      return store.state.accounts.map((acct) => ({
        user: acct.user,
        domain: acct.domain,
        owner: acct.owner,
        plan: acct.plan,
        email: acct.email === '' ? '*unknown*' : acct.email,
        suspended: acct.suspended,
        reseller: resellers.includes(acct.user),
        tfa: secrets[acct.user]?.secret !== undefined,
        tfaFeature: accountHasFeature(store.state, acct, 'twofactorauth'),
      }));
    },
    secretOf: (user) => store.state.secrets[user]?.secret,
    setFeatureList(name, entries) {
      store.state.featureLists[name] = { ...entries };
      void store.commit().catch(() => undefined);
    },
    async close() {
      const closed = new Promise<void>((resolve, reject) =>
        server.close((error) => (error ? reject(error) : resolve())),
      );
      // Hung and stalled fault requests would otherwise keep the server open forever.
      server.closeAllConnections();
      await closed;
      await store.idle();
    },
  };
}
