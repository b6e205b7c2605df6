import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import { hashSessionId } from './session-service.js';
import { SessionStore } from './session-store.js';

let now = Date.now();
let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole({ clock: () => now });
});
afterAll(async () => {
  await t.close();
});
afterEach(() => {
  vi.restoreAllMocks();
});

const context = { sourceIp: '127.0.0.1', requestId: 'test' };

describe('the session cache', () => {
  it('when a cached session goes stale while many requests arrive, then one database read serves them all', async () => {
    const viewer = await t.login('viewer');
    expect((await viewer.whm('twofactorauth_policy_status')).status).toBe(200);
    now += 6_000;
    // A slow database, so the requests surely arrive while the first read is still out.
    // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the store as this
    const get = SessionStore.prototype.get;
    const reads = vi.spyOn(SessionStore.prototype, 'get').mockImplementation(async function (
      this: SessionStore,
      idHash: string,
    ) {
      await new Promise((resolve) => setTimeout(resolve, 150));
      return get.call(this, idHash);
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => viewer.whm('twofactorauth_policy_status')),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    expect(reads).toHaveBeenCalledTimes(1);
  });

  it('when a session is ended while it is being read again, then the read does not put it back', async () => {
    const { sessions } = t.running.services;
    const admin = await t.login('admin');
    const id = admin.cookie!.split('=')[1]!;
    await sessions.resolve(id, context);
    now += 6_000;
    const reloading = sessions.resolve(id, context);
    const ending = sessions.end(hashSessionId(id));
    await reloading;
    await ending;
    expect(sessions.resolveNow(id, context)).toBeUndefined();
    await expect(sessions.resolve(id, context)).rejects.toMatchObject({ code: 'unauthenticated' });
    expect((await admin.whm('twofactorauth_policy_status')).status).toBe(401);
  });

  it('when the settings cache goes stale under concurrent requests, then one query refreshes it', async () => {
    const support = await t.login('support');
    expect((await support.whm('twofactorauth_get_issuer')).status).toBe(200);
    await new Promise((resolve) => setTimeout(resolve, 2_100));
    const { db } = t.running.services;
    const original = db.query.bind(db);
    const query = vi.spyOn(db, 'query').mockImplementation(async (...args) => {
      if (String(args[0]).includes('FROM settings')) {
        await new Promise((resolve) => setTimeout(resolve, 150));
      }
      return original(...args);
    });
    const answers = await Promise.all(
      Array.from({ length: 20 }, () => support.whm('twofactorauth_get_issuer')),
    );
    expect(answers.map((answer) => answer.status)).toEqual(Array(20).fill(200));
    const settingsReads = query.mock.calls.filter(([sql]) => String(sql).includes('FROM settings'));
    expect(settingsReads).toHaveLength(1);
  });
});
