import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startSimulator, type Simulator } from '@console/whm-sim';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { runOperatorsCli } from '../cli/operators.js';
import { openDatabase, type Database } from '../db/database.js';
import { OperatorStore } from '../operators/operator-store.js';
import { cheapHashingForTests, createPasswordHasher } from '../operators/passwords.js';
import {
  Client,
  startTestConsole,
  testDatabases,
  type Answer,
  type TestConsole,
  type TestConsoleOptions,
} from '../testing/harness.js';
import {
  hashSetupToken,
  SETUP_LINK_MS,
  SETUP_PER_ADDRESS,
  setupLinkLines,
} from './setup-service.js';

const SIM_TOKEN = `SETUPSIM${randomBytes(8).toString('hex')}`;
const PASSWORD = 'the first admin password';

let simulator: Simulator;
beforeAll(async () => {
  simulator = await startSimulator({ rootToken: SIM_TOKEN, accounts: 3 });
});
afterAll(async () => {
  await simulator?.close();
});

const consoles: TestConsole[] = [];
const databases: Database[] = [];
afterEach(async () => {
  for (const running of consoles.splice(0).reverse()) await running.close();
  for (const db of databases.splice(0)) await db.close();
});

const realWhm = () => ({ WHM_URL: simulator.url, WHM_USER: 'root', WHM_TOKEN: SIM_TOKEN });

/** A console in front of the simulator as a real WHM, with no operator at all. */
async function freshConsole(options: TestConsoleOptions = {}): Promise<TestConsole> {
  const running = await startTestConsole({
    ...options,
    seedOperators: false,
    env: { ...realWhm(), ...options.env },
  });
  consoles.push(running);
  return running;
}

async function ownDatabase(open: () => Promise<Database> = () => openDatabase({})) {
  const db = await open();
  databases.push(db);
  return db;
}

function signedIn(t: TestConsole, answer: Answer): Client {
  const setCookie = answer.headers['set-cookie'];
  const first = Array.isArray(setCookie) ? setCookie[0] : setCookie;
  return new Client(t, first?.split(';')[0]);
}

function tokenOf(t: TestConsole): string {
  const link = t.running.setupLink;
  if (!link) throw new Error('the console printed no setup link');
  return link.token;
}

/** Every row of every table, as text: what someone reading the database would see. */
async function databaseText(db: Database): Promise<{ tables: string[]; text: string }> {
  const tables = (
    await db.query<{ table_name: string }>(
      `SELECT table_name FROM information_schema.tables
       WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
    )
  ).map((row) => row.table_name);
  const parts: string[] = [];
  for (const table of tables)
    parts.push(JSON.stringify(await db.query(`SELECT * FROM "${table}"`)));
  return { tables, text: parts.join('\n') };
}

async function setupRecords(t: TestConsole) {
  const { records } = await t.running.services.audit.list({ kind: ['operator'], limit: 500 });
  return records.filter((record) => record.detail.action === 'setup_first_admin');
}

describe('the first admin from the setup link', () => {
  it('when a console starts against a real WHM with no operator, then its one link creates the first admin, signs them in, and never works again', async () => {
    const db = await ownDatabase();
    const t = await freshConsole({ database: db });
    const link = t.running.setupLink!;
    const token = tokenOf(t);
    expect(token).toMatch(/^[A-Za-z0-9_-]{43}$/); // 32 random bytes
    expect(link.expiresAt - Date.now()).toBeGreaterThan(SETUP_LINK_MS - 60_000);
    expect(link.expiresAt - Date.now()).toBeLessThanOrEqual(SETUP_LINK_MS);
    const printed = setupLinkLines(t.url, link);
    expect(printed).toContain(`  ${t.url}/setup#token=${token}`);
    expect(printed.join('\n').split(token)).toHaveLength(2);
    expect(printed.join('\n')).toContain('npm run operators -- add NAME admin');

    const before = await databaseText(db);
    expect(before.tables).toContain('setup_tokens');
    expect(before.text).toContain(hashSetupToken(token));
    expect(before.text).not.toContain(token);

    expect((await t.anon().get('/api/setup')).json).toEqual({ open: true });
    expect((await t.anon().get('/api/setup', { csrf: false })).status).toBe(403);
    const created = await t
      .anon()
      .post('/api/setup', { token, username: 'first-admin', password: PASSWORD });
    expect(created.status, created.text).toBe(201);
    expect(created.json.operator).toEqual({
      id: expect.any(Number),
      username: 'first-admin',
      role: 'admin',
      totpEnabled: false,
      sso: false,
      serverTags: null,
    });
    const admin = signedIn(t, created);
    expect((await admin.get('/api/session')).json.operator.username).toBe('first-admin');
    const totp = await admin.post('/api/me/totp/setup', {});
    expect(totp.status, totp.text).toBe(200);
    const accounts = await admin.whm('listaccts', 'want=user', 'main');
    expect(accounts.status, accounts.text).toBe(200);

    const again = await t
      .anon()
      .post('/api/setup', { token, username: 'second-admin', password: PASSWORD });
    expect(again.status).toBe(404);
    expect(again.json.code).toBe('not_found');
    expect((await t.anon().get('/api/setup')).status).toBe(404);
    expect(await new OperatorStore(db).count()).toBe(1);

    expect(await setupRecords(t)).toEqual([
      expect.objectContaining({
        operator: 'first-admin',
        role: 'admin',
        outcome: 'success',
        target: ['first-admin'],
        sourceIp: '127.0.0.1',
        detail: { action: 'setup_first_admin', role: 'admin' },
      }),
    ]);
    const logs = t.logs.join('\n');
    expect(logs).toMatch(/"path":"\/api\/setup"/);
    expect(logs).not.toContain(token);
    expect(t.responses.join('\n')).not.toContain(token);
    const after = await databaseText(db);
    expect(after.text).not.toContain(token);
    expect(after.text).not.toContain(hashSetupToken(token));
  });

  it('when 30 minutes have passed, then the link answers 410 setup_token_expired, audited, and another start prints a new link that works', async () => {
    const db = await ownDatabase();
    let now = Date.now();
    const t = await freshConsole({ database: db, clock: () => now });
    const old = tokenOf(t);
    now += SETUP_LINK_MS;
    const expired = await t
      .anon()
      .post('/api/setup', { token: old, username: 'late-admin', password: PASSWORD });
    expect(expired.status).toBe(410);
    expect(expired.json).toMatchObject({ code: 'setup_token_expired', field: 'token' });
    expect(expired.json.message).toMatch(/expired/);
    expect((await t.anon().get('/api/setup')).json).toEqual({ open: true });
    expect(await new OperatorStore(db).count()).toBe(0);
    const records = await setupRecords(t);
    expect(records).toEqual([
      expect.objectContaining({
        operator: null,
        outcome: 'failure',
        sourceIp: '127.0.0.1',
        detail: { action: 'setup_first_admin', code: 'setup_token_expired' },
      }),
    ]);
    expect(JSON.stringify(records)).not.toContain(old);

    const restarted = await freshConsole({ database: db, clock: () => now });
    const fresh = tokenOf(restarted);
    expect(fresh).not.toBe(old);
    const created = await restarted
      .anon()
      .post('/api/setup', { token: fresh, username: 'first-admin', password: PASSWORD });
    expect(created.status, created.text).toBe(201);
  });

  it('when wrong tokens come from one address, then each is 403 setup_token_invalid and audited, the eleventh is throttled, and another address is not', async () => {
    const t = await freshConsole({ env: { TRUST_PROXY_HOPS: '1' } });
    const token = tokenOf(t);
    const from = (address: string) => ({ headers: { 'x-forwarded-for': address } });
    for (let i = 0; i < SETUP_PER_ADDRESS.limit; i++) {
      const wrong = await t
        .anon()
        .post(
          '/api/setup',
          { token: `wrong-${i}-${'x'.repeat(30)}`, username: 'mallory', password: PASSWORD },
          from('203.0.113.7'),
        );
      expect(wrong.status).toBe(403);
      expect(wrong.json).toMatchObject({ code: 'setup_token_invalid', field: 'token' });
    }
    const throttled = await t
      .anon()
      .post('/api/setup', { token, username: 'mallory', password: PASSWORD }, from('203.0.113.7'));
    expect(throttled.status).toBe(429);
    expect(throttled.json.code).toBe('rate_limited');
    expect(Number(throttled.headers['retry-after'])).toBeGreaterThan(0);

    const records = await setupRecords(t);
    expect(records).toHaveLength(SETUP_PER_ADDRESS.limit);
    for (const record of records) {
      expect(record).toMatchObject({
        operator: null,
        outcome: 'failure',
        sourceIp: '203.0.113.7',
        detail: { action: 'setup_first_admin', code: 'setup_token_invalid' },
      });
    }
    expect(JSON.stringify(records)).not.toMatch(/wrong-|x{30}/);

    const other = await t
      .anon()
      .post(
        '/api/setup',
        { token, username: 'first-admin', password: PASSWORD },
        from('198.51.100.9'),
      );
    expect(other.status, other.text).toBe(201);
  });

  it('when the body breaks the operator rules or the request is not same-site JSON, then it is refused naming the field, nothing is counted, and the link still works', async () => {
    const t = await freshConsole();
    const token = tokenOf(t);
    const post = (body: unknown, options = {}) => t.anon().post('/api/setup', body, options);
    const refusals: [unknown, string][] = [
      [{ token, username: 'First Admin', password: PASSWORD }, 'username'],
      [{ token, username: 'a', password: PASSWORD }, 'username'],
      [{ token, username: 'first-admin', password: 'too short' }, 'password'],
      [{ token, username: 'first-admin', password: 'x'.repeat(257) }, 'password'],
      [{ username: 'first-admin', password: PASSWORD }, 'token'],
      [{ token, username: 'first-admin', password: PASSWORD, role: 'viewer' }, 'role'],
    ];
    for (const [body, field] of refusals) {
      const answer = await post(body);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json).toMatchObject({ code: 'invalid_params', field });
    }
    const crossSite = await post(
      { token, username: 'first-admin', password: PASSWORD },
      { headers: { 'sec-fetch-site': 'cross-site' } },
    );
    expect(crossSite.status).toBe(403);
    expect(crossSite.json.code).toBe('csrf_required');
    const form = await t.anon().request('POST', '/api/setup', {
      rawBody: `token=${token}&username=first-admin&password=${encodeURIComponent(PASSWORD)}`,
      contentType: 'application/x-www-form-urlencoded',
    });
    expect(form.status).toBe(403);
    expect(await setupRecords(t)).toEqual([]);

    // Like sign-in, the write needs no X-CSRF header, only same-site JSON.
    const created = await post(
      { token, username: 'first-admin', password: PASSWORD },
      { csrf: false },
    );
    expect(created.status, created.text).toBe(201);
  });

  it('when an operator is made while the console runs (another process writing the database), then setup closes at once and the link is gone', async () => {
    const db = await ownDatabase();
    const t = await freshConsole({ database: db });
    const token = tokenOf(t);
    const hasher = createPasswordHasher(cheapHashingForTests);
    await new OperatorStore(db).insert({
      username: 'made-elsewhere',
      passwordHash: await hasher.hash(PASSWORD),
      role: 'admin',
    });
    expect((await t.anon().get('/api/setup')).status).toBe(404);
    const late = await t
      .anon()
      .post('/api/setup', { token, username: 'first-admin', password: PASSWORD });
    expect(late.status).toBe(404);
    expect(await db.query('SELECT * FROM setup_tokens')).toEqual([]);
    expect(await setupRecords(t)).toEqual([]);
  });

  it('when the operators CLI made an admin before a restart, then no link is printed and /api/setup is 404', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'bff-setup-cli-'));
    try {
      const keyFile = join(dir, 'audit.key');
      writeFileSync(keyFile, randomBytes(32).toString('hex'), { mode: 0o600 });
      const env = { ...realWhm(), DATA_DIR: dir, AUDIT_KEY_FILE: keyFile };
      const pglite = () => openDatabase({ dataDir: join(dir, 'pglite') });

      const first = await startTestConsole({
        database: await pglite(),
        seedOperators: false,
        env,
      });
      const token = tokenOf(first);
      const firstDb = first.running.services.db;
      await first.close();
      await firstDb.close();

      const lines: string[] = [];
      const code = await runOperatorsCli(['add', 'cli-admin', 'admin'], {
        out: (line) => lines.push(line),
        readSecret: () => Promise.resolve(PASSWORD),
        env,
        passwordHashing: cheapHashingForTests,
      });
      expect(code, lines.join('\n')).toBe(0);

      const db = await ownDatabase(pglite);
      const restarted = await freshConsole({ database: db, env });
      expect(restarted.running.setupLink).toBeUndefined();
      expect((await restarted.anon().get('/api/setup')).status).toBe(404);
      const old = await restarted
        .anon()
        .post('/api/setup', { token, username: 'first-admin', password: PASSWORD });
      expect(old.status).toBe(404);
      expect(await db.query('SELECT * FROM setup_tokens')).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('when the console runs in demo mode, then there is no setup link and /api/setup is 404', async () => {
    const t = await startTestConsole();
    consoles.push(t);
    expect(t.running.demo).toBe(true);
    expect(t.running.setupLink).toBeUndefined();
    expect((await t.anon().get('/api/setup')).status).toBe(404);
  });
});

describe.each(testDatabases())('two instances sharing one database ($label)', (database) => {
  it('when each printed its own link, then either link works on either instance, and only one first admin is made', async () => {
    const db = await ownDatabase(() => database.open());
    const a = await freshConsole({ database: db });
    const b = await freshConsole({ database: db });
    const tokenA = tokenOf(a);
    const tokenB = tokenOf(b);
    expect(tokenA).not.toBe(tokenB);
    expect(await db.query('SELECT * FROM setup_tokens')).toHaveLength(2);

    const answers = await Promise.all([
      b.anon().post('/api/setup', { token: tokenA, username: 'admin-a', password: PASSWORD }),
      a.anon().post('/api/setup', { token: tokenB, username: 'admin-b', password: PASSWORD }),
    ]);
    expect(answers.map((answer) => answer.status).sort()).toEqual([201, 404]);
    expect(await new OperatorStore(db).count()).toBe(1);
    expect(await db.query('SELECT * FROM setup_tokens')).toEqual([]);
    for (const instance of [a, b]) {
      expect((await instance.anon().get('/api/setup')).status).toBe(404);
    }
  });
});
