import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { MailCatcher } from '../mail/mail-catcher.js';
import { startTestConsole, testDatabases, type TestConsole } from '../testing/harness.js';

describe.each(testDatabases())('two BFF instances on one $label database', (database) => {
  let db: Database;
  let a: TestConsole;
  let b: TestConsole;
  beforeAll(async () => {
    db = await database.open();
    a = await startTestConsole({ database: db, sessionPolicy: { cacheMs: 300 } });
    b = await startTestConsole({ database: db, sessionPolicy: { cacheMs: 300 } });
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.close();
  });

  it('when an operator signs in on one instance, then the other accepts the session, and a logout ends it on both', async () => {
    const onA = await a.login('support');
    const onB = b.anon();
    onB.cookie = onA.cookie;
    expect((await onB.get('/api/session')).status).toBe(200);
    expect((await onA.request('DELETE', '/api/session')).status).toBe(204);
    // B caches a session for cacheMs (5 s in production, docs/decisions/004); then it reads again.
    const fresh = b.anon();
    fresh.cookie = onA.cookie;
    await new Promise((resolve) => setTimeout(resolve, 400));
    expect((await fresh.get('/api/session')).status).toBe(401);
  });

  it('when login failures are spread over both instances, then the per-user limit still holds', async () => {
    const admin = await a.login('admin');
    await admin.stepUp();
    await admin.post('/api/operators', {
      username: 'spread',
      password: 'a long enough password',
      role: 'viewer',
    });
    for (let i = 0; i < 5; i += 1) {
      const target = i % 2 ? a : b;
      const answer = await target.anon().request('POST', '/api/session', {
        body: { username: 'spread', password: `wrong ${i}` },
        csrf: false,
      });
      expect(answer.status).toBe(401);
    }
    const blocked = await a.anon().request('POST', '/api/session', {
      body: { username: 'spread', password: 'a long enough password' },
      csrf: false,
    });
    expect(blocked.status).toBe(429);
  });

  it('when both instances write audit records at once, then one chain verifies', async () => {
    const adminA = await a.login('admin');
    const adminB = await b.login('admin');
    await Promise.all(
      Array.from({ length: 10 }, (_, i) =>
        (i % 2 ? adminA : adminB).post('/api/servers/local/whm/twofactorauth_set_issuer', {
          issuer: `Instance ${i}`,
        }),
      ),
    );
    const verify = await adminB.get('/api/audit/verify');
    expect(verify.json).toMatchObject({ valid: true, firstBrokenId: null });
  });
});

describe.each(testDatabases())(
  'caller verification on two BFF instances on one $label database',
  (database) => {
    let db: Database;
    let catcher: MailCatcher;
    let a: TestConsole;
    let b: TestConsole;
    beforeAll(async () => {
      db = await database.open();
      catcher = await new MailCatcher().listen();
      const mail = {
        smtp: { url: catcher.url, from: 'Example Hosting <support@example.com>' },
        worker: { pollMs: 100, backoffBaseMs: 50, maxAttempts: 5, leaseMs: 5_000 },
      };
      a = await startTestConsole({ database: db, accounts: 40, mail });
      b = await startTestConsole({ database: db, accounts: 40, mail });
    });
    afterAll(async () => {
      await a?.close();
      await b?.close();
      await db?.close();
      await catcher?.close();
    });

    it('when codes for one account are asked of both instances, then the per-account limit (3 in 10 minutes) still holds', async () => {
      // The same simulated server on both: an account either one can mail a code for.
      const onB = new Set(b.running.simulator!.accounts().map((account) => account.user));
      const account = a.running
        .simulator!.accounts()
        .find(
          (x) =>
            x.tfa && !x.reseller && x.user !== 'root' && x.email !== '*unknown*' && onB.has(x.user),
        );
      if (!account) throw new Error('no enrolled account with a contact address on both servers');
      const onA = await a.login('support');
      const alsoOnB = await b.login('support');
      const send = (client: typeof onA) =>
        client.post('/api/verifications', { server: 'local', user: account.user });
      const statuses = [];
      for (const client of [onA, alsoOnB, onA, alsoOnB]) statuses.push((await send(client)).status);
      expect(statuses).toEqual([201, 201, 201, 429]);
    });
  },
);
