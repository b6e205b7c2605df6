import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { totpCode, writeServersFile, type Fleet } from '@console/whm-sim';
import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MailCatcher } from '../mail/mail-catcher.js';
import { startTestFleet } from '../testing/fleet.js';
import type { Database } from '../db/database.js';
import {
  startTestConsole,
  testDatabases,
  type Client,
  type TestConsole,
} from '../testing/harness.js';

/**
 * Enrollment reminders through the whole BFF: who the simulator's accounts make eligible, the
 * messages a real SMTP server of the test's receives, the 7-day rule across campaigns, and the
 * enrolled-since count once an account turns 2FA on and the fleet is read again.
 */
describe.each(testDatabases())('enrollment reminders on one server, with mail ($label)', (db) => {
  let t: TestConsole;
  let catcher: MailCatcher;
  let admin: Client;
  let database: Database;

  beforeAll(async () => {
    catcher = await new MailCatcher().listen();
    database = await db.open();
    t = await startTestConsole({
      database,
      accounts: 120,
      mail: {
        smtp: { url: catcher.url, from: 'Example Hosting <support@example.com>' },
        worker: { pollMs: 100, backoffBaseMs: 50, maxAttempts: 5, leaseMs: 5_000 },
      },
    });
    admin = await t.login('admin');
  });
  afterAll(async () => {
    await t?.close();
    await database?.close();
    await catcher?.close();
  });

  const accounts = () => t.running.simulator!.accounts();
  /** Who the rules let through, worked out from the simulator's own view of its accounts. */
  const eligible = (plan?: string) =>
    accounts().filter(
      (a) =>
        a.user !== 'root' &&
        !a.reseller &&
        !a.tfa &&
        a.tfaFeature &&
        a.suspended === 0 &&
        a.email !== '*unknown*' &&
        (plan === undefined || a.plan === plan),
    );

  it('when an admin previews every account, then root, resellers, enrolled, no-feature, suspended and no-address accounts are left out and counted', async () => {
    const answer = await admin.post('/api/reminders/preview', {});
    expect(answer.status, answer.text).toBe(200);
    const preview = answer.json;
    const expected = eligible();
    expect(expected.length).toBeGreaterThan(0);
    expect(preview.recipients).toBe(expected.length);
    const ordinaryOff = accounts().filter((a) => a.user !== 'root' && !a.reseller && !a.tfa);
    expect(preview.skipped).toEqual({
      noFeature: ordinaryOff.filter((a) => !a.tfaFeature).length,
      suspended: ordinaryOff.filter((a) => a.tfaFeature && a.suspended === 1).length,
      noAddress: ordinaryOff.filter(
        (a) => a.tfaFeature && a.suspended === 0 && a.email === '*unknown*',
      ).length,
      remindedRecently: 0,
    });
    expect(preview.skipped.noFeature).toBeGreaterThan(0);
    expect(preview.skipped.noAddress).toBeGreaterThan(0);
    expect(preview.enrolled).toBe(
      accounts().filter((a) => a.user !== 'root' && !a.reseller && a.tfa).length,
    );
    const named = (preview.names as { user: string }[]).map((n) => n.user);
    expect(named.length).toBe(Math.min(50, expected.length));
    const allowed = new Set(expected.map((a) => a.user));
    for (const user of named) expect(allowed.has(user), user).toBe(true);
    const excluded = accounts().filter((a) => a.user === 'root' || a.reseller || a.tfa);
    for (const a of excluded) expect(named).not.toContain(a.user);
    expect(preview.servers).toEqual([
      { id: 'local', label: expect.any(String), recipients: expected.length },
    ]);
  });

  it('when the filter names an owner or a plan, then only those accounts count', async () => {
    const owner = accounts().find((a) => a.reseller)!.user;
    const byOwner = await admin.post('/api/reminders/preview', { owner });
    expect(byOwner.status, byOwner.text).toBe(200);
    expect(byOwner.json.recipients).toBe(eligible().filter((a) => a.owner === owner).length);
    for (const n of byOwner.json.names as { owner: string }[]) expect(n.owner).toBe(owner);
    const starter = await admin.post('/api/reminders/preview', { plan: 'starter' });
    // starter's feature list turns 2FA off: nobody on it is ever reminded.
    expect(starter.json.recipients).toBe(0);
    expect(starter.json.skipped.noFeature).toBeGreaterThan(0);
  });

  it('when the filter is malformed, then 400 names the field', async () => {
    const cases: [unknown, string][] = [
      [{ servers: ['local'], tag: 'eu-west' }, 'tag'],
      [{ plan: 5 }, 'plan'],
      [{ owner: 'Not a user' }, 'owner'],
      [{ servers: ['nowhere'] }, 'servers'],
      [{ servers: [] }, 'servers'],
      [{ everyone: true }, 'everyone'],
    ];
    for (const [body, field] of cases) {
      const answer = await admin.post('/api/reminders/preview', body);
      expect(answer.status, answer.text).toBe(400);
      expect(answer.json.field, JSON.stringify(body)).toBe(field);
    }
  });

  it('when support or a viewer asks, then every reminder route is 403', async () => {
    for (const name of ['support', 'viewer']) {
      const client = await t.login(name);
      expect((await client.post('/api/reminders/preview', {})).status).toBe(403);
      expect((await client.post('/api/reminders', {})).status).toBe(403);
      expect((await client.get('/api/reminders')).status).toBe(403);
    }
  });

  it('when an admin sends, then each account gets one message with the cPanel how-to and no secret; the campaign is audited; a second campaign skips them; enrolling counts as enrolled since', async () => {
    const plan = 'business';
    const expected = eligible(plan);
    expect(expected.length).toBeGreaterThan(1);
    const before = catcher.messages.length;
    const sent = await admin.post('/api/reminders', { plan });
    expect(sent.status, sent.text).toBe(201);
    expect(sent.json.recipients).toBe(expected.length);
    const arrived = (await catcher.waitFor(before + expected.length)).slice(before);
    expect(arrived).toHaveLength(expected.length);
    expect(arrived.map((m) => m.to[0]).sort()).toEqual(expected.map((a) => a.email).sort());
    for (const mail of arrived) {
      const account = expected.find((a) => a.email === mail.to[0])!;
      expect(mail.subject).toContain(account.user);
      expect(mail.text).toContain('Security › Two-Factor Authentication');
      expect(mail.text).not.toMatch(/otpauth|secret=|\b\d{6}\b/);
      expect(mail.headers['x-console-mail-kind']).toBe('enrollment_reminder');
    }

    const audit = await admin.get('/api/audit?limit=20');
    const record = (audit.json.records as { detail: Record<string, unknown> }[]).find(
      (r) => r.detail.action === 'enrollment_reminders',
    );
    expect(record?.detail).toMatchObject({ filter: { plan }, recipients: expected.length });

    const again = await admin.post('/api/reminders/preview', { plan });
    expect(again.json.recipients).toBe(0);
    expect(again.json.skipped.remindedRecently).toBe(expected.length);
    const second = await admin.post('/api/reminders', { plan });
    expect(second.status, second.text).toBe(409);
    // Another filter that overlaps: only the accounts not reminded yet.
    const everyone = await admin.post('/api/reminders/preview', {});
    expect(everyone.json.recipients).toBe(eligible().length - expected.length);
    expect(everyone.json.skipped.remindedRecently).toBe(expected.length);

    await t.running.services.fleetRefresher.refresh();
    let listed = await admin.get('/api/reminders');
    expect(listed.status, listed.text).toBe(200);
    expect(listed.json.campaigns[0]).toMatchObject({
      id: sent.json.campaign,
      operator: 'admin',
      filter: { plan },
      reminded: expected.length,
      enrolledSince: 0,
      delivery: { sent: expected.length, queued: 0, failed: 0, unconfirmed: 0 },
    });

    await enrollInSimulator(t, expected[0]!.user);
    // Not seen until the fleet reads the server again: the count comes from the index.
    listed = await admin.get('/api/reminders');
    expect(listed.json.campaigns[0].enrolledSince).toBe(0);
    await t.running.services.fleetRefresher.refresh();
    listed = await admin.get('/api/reminders');
    expect(listed.json.campaigns[0].enrolledSince).toBe(1);
  });

  it('when two admins send the same filter at once, then each account is mailed once and no empty campaign is kept', async () => {
    const plan = 'premium';
    const expected = eligible(plan);
    expect(expected.length).toBeGreaterThan(0);
    const other = await t.login('admin');
    const before = (await admin.get('/api/reminders')).json.campaigns.length as number;
    const answers = await Promise.all([
      admin.post('/api/reminders', { plan }),
      other.post('/api/reminders', { plan }),
    ]);
    const statuses = answers.map((a) => a.status).sort();
    expect(statuses, answers.map((a) => a.text).join(' ')).toEqual([201, 409]);
    const recipients = await t.running.services.db.query(
      `SELECT r.username FROM reminder_recipients r
       JOIN reminder_campaigns c ON c.id = r.campaign_id WHERE c.filter LIKE '%premium%'`,
    );
    expect(recipients).toHaveLength(expected.length);
    expect((await admin.get('/api/reminders')).json.campaigns).toHaveLength(before + 1);
  });
});

/** The holder sets 2FA up in cPanel (UAPI as the account, straight at the simulator). */
async function enrollInSimulator(t: TestConsole, user: string) {
  const call = async (fn: string, extra: Record<string, string> = {}) => {
    const query = new URLSearchParams({
      'api.version': '1',
      'cpanel.user': user,
      'cpanel.module': 'TwoFactorAuth',
      'cpanel.function': fn,
      ...extra,
    });
    const answer = await request(
      `${t.running.simulatorUrl}/json-api/uapi_cpanel?${query.toString()}`,
      {
        headers: { authorization: `whm root:${t.simToken}` },
      },
    );
    return (await answer.body.json()) as { data: { uapi: { data: Record<string, string> } } };
  };
  const generated = await call('generate_user_configuration');
  const secret = generated.data.uapi.data.secret!;
  await call('set_user_configuration', { secret, tfa_token: totpCode(secret, Date.now()) });
  expect(t.running.simulator!.secretOf(user)).toBe(secret);
}

describe('enrollment reminders across a fleet, mail off', () => {
  let dir: string;
  let fleet: Fleet;
  let t: TestConsole;
  let admin: Client;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'bff-reminders-'));
    // Six servers: web01–web04 in eu-west, web05–web06 in us-east.
    fleet = await startTestFleet({ servers: 6, accounts: 12, seed: 4 });
    await writeServersFile(fleet, join(dir, 'servers.json'));
    t = await startTestConsole({ env: { WHM_SERVERS_FILE: join(dir, 'servers.json') } });
    admin = await t.login('admin');
  });
  afterAll(async () => {
    await t?.close();
    await fleet?.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('when the filter is a tag, then only its servers are read', async () => {
    const answer = await admin.post('/api/reminders/preview', { tag: 'us-east' });
    expect(answer.status, answer.text).toBe(200);
    expect((answer.json.servers as { id: string }[]).map((s) => s.id)).toEqual(['web05', 'web06']);
  });

  it('when an admin is limited to a tag, then other servers are not read and naming one is 403', async () => {
    await admin.stepUp();
    const created = await admin.post('/api/operators', {
      username: 'usadmin',
      password: 'a long enough password',
      role: 'admin',
      serverTags: ['us-east'],
    });
    expect(created.status, created.text).toBe(201);
    const limited = await t.login('usadmin', 'a long enough password');
    const all = await limited.post('/api/reminders/preview', {});
    expect((all.json.servers as { id: string }[]).map((s) => s.id)).toEqual(['web05', 'web06']);
    const other = await limited.post('/api/reminders/preview', { servers: ['web01'] });
    expect(other.status).toBe(403);
  });

  it('when mail is off, then sending is refused with mail_off and nothing is kept', async () => {
    const preview = await admin.post('/api/reminders/preview', {});
    expect(preview.json.mail).toBe('off');
    const answer = await admin.post('/api/reminders', {});
    expect(answer.status, answer.text).toBe(409);
    expect(answer.json.code).toBe('mail_off');
    expect((await admin.get('/api/reminders')).json.campaigns).toEqual([]);
  });
});
