import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { request } from 'undici';
import {
  seedDemoOperators,
  startConsole,
  type ConsoleOptions,
  type RunningConsole,
} from '../console.js';
import { OperatorStore } from '../operators/operator-store.js';
import { openDatabase, type Database } from '../db/database.js';
import { parseEnv } from '../env.js';
import { createLogger } from '../logger.js';
import { cheapHashingForTests } from '../operators/passwords.js';

export const DEMO_PASSWORD = 'demo-password-for-tests';

export interface TestDatabase {
  label: string;
  open(): Promise<Database>;
}

/** PGlite always; PostgreSQL too when TEST_DATABASE_URL is set (CI sets it). */
export function testDatabases(): TestDatabase[] {
  const list: TestDatabase[] = [{ label: 'PGlite', open: () => openDatabase({}) }];
  const url = process.env.TEST_DATABASE_URL;
  if (!url && process.env.CI === 'true') {
    throw new Error('CI must set TEST_DATABASE_URL: the PostgreSQL suites never skip silently');
  }
  if (url) list.push({ label: 'PostgreSQL', open: () => openPostgresSchema(url) });
  return list;
}

/** A fresh schema per call, dropped on close, so test files never collide. */
export async function openPostgresSchema(url: string): Promise<Database> {
  const schema = `t_${randomBytes(6).toString('hex')}`;
  const db = await openDatabase({ url, schema, maxConnections: 8 });
  return {
    ...db,
    async close() {
      await db.close();
      const admin = new pg.Client({ connectionString: url });
      await admin.connect();
      try {
        await admin.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
      } finally {
        await admin.end();
      }
    },
  };
}

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: any;
}

export interface RequestOptions {
  body?: unknown;
  rawBody?: string;
  headers?: Record<string, string>;
  csrf?: boolean;
  contentType?: string | null;
}

export class Client {
  cookie: string | undefined;

  constructor(
    private readonly harness: TestConsole,
    cookie?: string,
  ) {
    this.cookie = cookie;
  }

  async request(method: string, path: string, options: RequestOptions = {}): Promise<Answer> {
    const headers: Record<string, string> = {};
    if (options.csrf !== false) headers['x-csrf'] = '1';
    if (this.cookie) headers.cookie = this.cookie;
    let body: string | undefined;
    if (options.rawBody !== undefined) body = options.rawBody;
    else if (options.body !== undefined) body = JSON.stringify(options.body);
    const write = !['GET', 'HEAD'].includes(method);
    if (options.contentType !== null && (write || body !== undefined)) {
      headers['content-type'] = options.contentType ?? 'application/json';
    }
    Object.assign(headers, options.headers);
    const response = await request(`${this.harness.url}${path}`, {
      method: method as 'GET',
      headers,
      body,
    });
    const text = await response.body.text();
    this.harness.responses.push(text, JSON.stringify(response.headers));
    let json: unknown;
    try {
      json = text ? JSON.parse(text) : undefined;
    } catch {
      json = undefined;
    }
    return { status: response.statusCode, headers: response.headers, text, json: json as any };
  }

  get(path: string, options?: RequestOptions) {
    return this.request('GET', path, options);
  }
  post(path: string, body?: unknown, options?: RequestOptions) {
    return this.request('POST', path, { ...options, body: body ?? {} });
  }
  whm(fn: string, query = '', server = 'local') {
    return this.get(`/api/servers/${server}/whm/${fn}${query ? `?${query}` : ''}`);
  }
  whmWrite(fn: string, body: unknown, server = 'local') {
    return this.post(`/api/servers/${server}/whm/${fn}`, body);
  }
  async stepUp(password = DEMO_PASSWORD) {
    return this.post('/api/session/step-up', { password });
  }
}

export interface TestConsole {
  running: RunningConsole;
  url: string;
  simToken: string;
  logs: string[];
  responses: string[];
  anon(): Client;
  login(username: string, password?: string, totp?: string): Promise<Client>;
  close(): Promise<void>;
}

export interface TestConsoleOptions extends Partial<Omit<ConsoleOptions, 'env'>> {
  env?: Record<string, string>;
  database?: Database;
  simToken?: string;
  accounts?: number;
  /** Outside demo mode the demo operators are made anyway, unless false (the first-admin setup). */
  seedOperators?: boolean;
}

let auditKeyFile: string | undefined;

/**
 * One audit key per test process, as instances sharing a database share AUDIT_KEY_FILE; tests
 * with `servers` are not in demo mode, which would make its own.
 */
function harnessAuditKeyFile(): string {
  if (auditKeyFile) return auditKeyFile;
  const dir = mkdtempSync(join(tmpdir(), 'bff-test-key-'));
  const file = join(dir, 'audit.key');
  writeFileSync(file, randomBytes(32).toString('hex'), { mode: 0o600 });
  process.once('exit', () => rmSync(dir, { recursive: true, force: true }));
  auditKeyFile = file;
  return file;
}

/** The whole console in-process: PGlite in memory, the real simulator, port 0. */
export async function startTestConsole(options: TestConsoleOptions = {}): Promise<TestConsole> {
  const dataDir = mkdtempSync(join(tmpdir(), 'bff-test-'));
  const simToken = options.simToken ?? `SIMTOKEN${randomBytes(12).toString('hex')}`;
  const env = parseEnv({
    AUDIT_KEY_FILE: harnessAuditKeyFile(),
    HOST: '127.0.0.1',
    PORT: '0',
    WHM_SIM_PORT: '0',
    WHM_SIM_TOKEN: simToken,
    WHM_SIM_ACCOUNTS: String(options.accounts ?? 30),
    // One demo server unless a test asks for the fleet.
    WHM_SIM_SERVERS: '1',
    WHM_TIMEOUT_MS: '1500',
    DATA_DIR: dataDir,
    // A hosted demo refuses a known password: it makes its own.
    ...(options.env?.DEMO_PUBLIC ? {} : { CONSOLE_DEMO_PASSWORD: DEMO_PASSWORD }),
    LOG_LEVEL: 'info',
    WEB_DIST_DIR: join(dataDir, 'no-web'),
    ...options.env,
  });
  const logs: string[] = [];
  const logger = createLogger({
    level: 'info',
    destination: {
      write(line: string) {
        logs.push(line);
      },
    },
  });
  const ownDatabase = !options.database;
  const database = options.database ?? (await openDatabase({}));
  const running = await startConsole({
    passwordHashing: cheapHashingForTests,
    simulatorInMemory: true,
    // Tests that count WHM calls must not see the fleet's background reads; fleet tests turn it on.
    fleetRefresh: false,
    ...options,
    env,
    logger,
    database,
  });
  if (!running.demo && options.seedOperators !== false) {
    await seedDemoOperators(running.services.operators, new OperatorStore(database), DEMO_PASSWORD);
  }
  const harness: TestConsole = {
    running,
    url: running.url,
    simToken,
    logs,
    responses: [],
    anon: () => new Client(harness),
    async login(username, password = DEMO_PASSWORD, totp) {
      const client = new Client(harness);
      const answer = await client.request('POST', '/api/session', {
        body: { username, password, ...(totp ? { totp } : {}) },
        csrf: false,
      });
      if (answer.status !== 200) {
        throw new Error(`login of ${username} failed: ${answer.status} ${answer.text}`);
      }
      const setCookie = answer.headers['set-cookie'];
      const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
      client.cookie = first?.split(';')[0];
      return client;
    },
    async close() {
      await running.close();
      if (ownDatabase) await database.close();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
  return harness;
}
