import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import { auditCsv } from './audit-csv.js';

let t: TestConsole;
let admin: Client;
let removed: string[] = [];
beforeAll(async () => {
  t = await startTestConsole();
  admin = await t.login('admin');
  const support = await t.login('support');
  await support.stepUp();
  const simulator = t.running.simulator!;
  const owners = new Set(simulator.accounts().map((a) => a.owner));
  const targets = simulator
    .accounts()
    .filter((a) => !owners.has(a.user) && !a.reseller)
    .slice(0, 3)
    .map((a) => a.user);
  removed = targets;
  for (const user of targets) {
    await support.whmWrite('twofactorauth_remove_user_config', {
      user,
      reason: `=HYPERLINK("x") ${user}`,
    });
  }
  await admin.post('/api/servers/local/whm/twofactorauth_set_issuer', { issuer: 'Audit Co' });
});
afterAll(async () => {
  await t.close();
});

describe('SECURITY 20: the audit API', () => {
  it('when records are filtered and paged, then pages are newest first and do not overlap', async () => {
    const first = await admin.get('/api/audit?function=twofactorauth_remove_user_config&limit=2');
    expect(first.status).toBe(200);
    expect(first.json.records).toHaveLength(2);
    expect(first.json.records[0].id).toBeGreaterThan(first.json.records[1].id);
    const second = await admin.get(
      `/api/audit?function=twofactorauth_remove_user_config&limit=2&before=${first.json.nextBefore}`,
    );
    expect(second.json.records[0].id).toBeLessThan(first.json.records[1].id);
    const outcomes = await admin.get('/api/audit?outcome=success&operator=support');
    for (const record of outcomes.json.records) {
      expect(record).toMatchObject({ outcome: 'success', operator: 'support' });
    }
    const future = await admin.get(
      `/api/audit?from=${new Date(Date.now() + 3_600_000).toISOString()}`,
    );
    expect(future.json.records).toEqual([]);
  });

  it('when a filter is malformed or unknown, then it is a 400 naming it', async () => {
    expect((await admin.get('/api/audit?limit=501')).json.field).toBe('limit');
    expect((await admin.get('/api/audit?from=yesterday')).json.field).toBe('from');
    expect((await admin.get('/api/audit?outcome=maybe')).json.field).toBe('outcome');
    expect((await admin.get('/api/audit?sql=1')).json.field).toBe('sql');
    expect((await admin.get('/api/audit?limit=1&limit=2')).json.field).toBe('limit');
  });

  it('when exported as CSV, then it has a header row and formula-looking cells are neutralised', async () => {
    const answer = await admin.get('/api/audit.csv?function=twofactorauth_remove_user_config');
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/csv/);
    const lines = answer.text.trim().split('\r\n');
    expect(lines[0]).toBe(
      'id,at,kind,operator,role,sourceIp,server,function,target,reason,requestId,outcome,detail,prevHash,hash',
    );
    expect(lines.length).toBeGreaterThan(3);
    expect(answer.text).toContain(`"'=HYPERLINK(""x"")`);
    expect(auditCsv([])).toBe(
      'id,at,kind,operator,role,sourceIp,server,function,target,reason,requestId,outcome,detail,prevHash,hash\r\n',
    );
  });

  it('when someone tries to change a record through the BFF, then there is no way to', async () => {
    for (const method of ['PUT', 'PATCH', 'DELETE', 'POST']) {
      const answer = await admin.request(method, '/api/audit', { body: { id: 1 } });
      expect(answer.status).toBe(404);
    }
    const verify = await admin.get('/api/audit/verify');
    expect(verify.json.valid).toBe(true);
  });

  it('when support reads the audit log, then it sees only its own records; CSV, verify and viewers are refused and recorded', async () => {
    const support = await t.login('support');
    const own = await support.get('/api/audit?limit=500');
    expect(own.status).toBe(200);
    expect(own.json.records.length).toBeGreaterThan(0);
    for (const record of own.json.records) expect(record.operator).toBe('support');
    const asked = await support.get('/api/audit?operator=admin');
    for (const record of asked.json.records) expect(record.operator).toBe('support');
    for (const path of ['/api/audit.csv', '/api/audit/verify']) {
      expect((await support.get(path)).status).toBe(403);
    }
    const viewer = await t.login('viewer');
    expect((await viewer.get('/api/audit')).status).toBe(403);
    const denied = await admin.get('/api/audit?operator=viewer&limit=3');
    expect(denied.json.records[0]).toMatchObject({ kind: 'denied', detail: { code: 'forbidden' } });
  });

  it('when filtered by kind, then only those kinds come back; a bad kind is a 400 naming it', async () => {
    const noSignIns = await admin.get('/api/audit?kind=intent,outcome,denied,operator&limit=500');
    expect(noSignIns.json.records.length).toBeGreaterThan(0);
    for (const record of noSignIns.json.records) expect(record.kind).not.toBe('session');
    const signIns = await admin.get('/api/audit?kind=session');
    expect(signIns.json.records.length).toBeGreaterThan(0);
    for (const record of signIns.json.records) expect(record.kind).toBe('session');
    expect((await admin.get('/api/audit?kind=session,bogus')).json.field).toBe('kind');
  });

  it('when filtered by target, then part of a name matches, in any case, and never across two names', async () => {
    const [first = ''] = removed;
    const part = first.slice(1, -1).toUpperCase();
    const answer = await admin.get(`/api/audit?target=${encodeURIComponent(part)}`);
    expect(answer.json.records.length).toBeGreaterThan(0);
    for (const record of answer.json.records) {
      expect(record.target.some((name: string) => name.toUpperCase().includes(part))).toBe(true);
    }
    const across = await admin.get(`/api/audit?target=${encodeURIComponent('","')}`);
    expect(across.json.records).toEqual([]);
  });

  it('when writes happen, then each has an intent and an outcome record with the request id', async () => {
    const answer = await admin.get('/api/audit?function=twofactorauth_set_issuer&limit=10');
    const [outcome, intent] = answer.json.records;
    expect(intent).toMatchObject({
      kind: 'intent',
      operator: 'admin',
      role: 'admin',
      server: 'local',
    });
    expect(outcome).toMatchObject({ kind: 'outcome', outcome: 'success' });
    expect(outcome.requestId).toBe(intent.requestId);
    expect(outcome.prevHash).toBe(intent.hash);
  });

  it('when concurrent writes run through the API, then the chain still verifies', async () => {
    const support = await t.login('support');
    await support.stepUp();
    await Promise.all(
      Array.from({ length: 12 }, (_, i) =>
        i % 2
          ? admin.post('/api/servers/local/whm/twofactorauth_set_issuer', { issuer: `Co ${i}` })
          : support.whmWrite('twofactorauth_remove_user_config', {
              user: 'nosuchuser',
              reason: `try ${i}`,
            }),
      ),
    );
    const verify = await admin.get('/api/audit/verify');
    expect(verify.json).toMatchObject({ valid: true, firstBrokenId: null });
  });
});
