import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Database } from '../db/database.js';
import { migrate } from '../db/migrations.js';
import { createLogger } from '../logger.js';
import { testDatabases } from '../testing/harness.js';
import { MailCatcher } from './mail-catcher.js';
import { MailService, type MailServiceOptions } from './mail-service.js';
import type { OutgoingMail } from './outbox-store.js';

const logger = createLogger({ level: 'silent' });
let next = 0;
const mail = (overrides: Partial<OutgoingMail> = {}): OutgoingMail => {
  next += 1;
  return {
    key: `test:${next}`,
    kind: 'removal_notice',
    to: `holder${next}@example.com`,
    subject: `Notice ${next}`,
    text: `Hello ${next}`,
    html: `<p>Hello ${next}</p>`,
    ...overrides,
  };
};

describe.each(testDatabases())('the mail outbox on $label', (database) => {
  let db: Database;
  let catcher: MailCatcher;
  let now = 1_800_000_000_000;
  const services: MailService[] = [];
  const clock = () => now;

  const service = async (overrides: Partial<MailServiceOptions> = {}) => {
    const made = new MailService({
      db,
      logger,
      clock,
      smtp: { url: catcher.url, from: 'Example Hosting <support@example.com>' },
      demo: false,
      ratePerMinute: 1_000,
      worker: { pollMs: 60_000, backoffBaseMs: 1_000, maxAttempts: 3, leaseMs: 60_000 },
      ...overrides,
    });
    await made.start();
    services.push(made);
    return made;
  };
  const queue = async (svc: MailService, ...messages: OutgoingMail[]) => {
    await db.transaction(async (tx) => {
      for (const message of messages) await svc.enqueueIn(tx, message);
    });
  };

  beforeAll(async () => {
    db = await database.open();
    await migrate(db);
    catcher = await new MailCatcher().listen();
  });
  afterEach(async () => {
    for (const svc of services.splice(0)) await svc.stop();
    catcher.refuseWith = undefined;
    catcher.messages.splice(0);
    await db.query('DELETE FROM mail_outbox');
  });
  afterAll(async () => {
    await catcher.close();
    await db.close();
  });

  it('when a campaign of reminders waits and a verification code is queued after it, then the code goes first', async () => {
    // Queued before any worker runs: a worker's first pass must see the code too.
    const writer = new MailService({
      db,
      logger,
      clock,
      smtp: { url: catcher.url, from: 'Example Hosting <support@example.com>' },
      demo: false,
      ratePerMinute: 2,
    });
    const reminders = [1, 2, 3, 4].map(() => mail({ kind: 'enrollment_reminder' }));
    await queue(writer, ...reminders);
    now += 1_000;
    const code = mail({ kind: 'verification_code' });
    await queue(writer, code);
    const svc = await service({ ratePerMinute: 2 });
    await svc.deliverNow();

    // The rate allowed two: the code and the oldest reminder, not the two oldest reminders.
    expect(catcher.messages.map((m) => m.to[0]).sort()).toEqual([code.to, reminders[0]?.to].sort());
  });

  it('when a message is queued in a transaction that commits, it is delivered once, as written', async () => {
    const svc = await service();
    const message = mail();
    await queue(svc, message);
    await svc.deliverNow();
    await svc.deliverNow();

    expect(catcher.messages).toHaveLength(1);
    const [got] = catcher.messages;
    expect(got?.to).toEqual([message.to]);
    expect(got?.from).toBe('support@example.com');
    expect(got?.subject).toBe(message.subject);
    expect(got?.text.trim()).toBe(message.text);
    expect(got?.html).toContain(message.html);
    const stored = await svc.outbox.byKey(message.key);
    expect(stored?.status).toBe('sent');
    expect(got?.messageId).toBe(stored?.messageId);
  });

  it('when the transaction that queues a message rolls back, nothing is sent', async () => {
    const svc = await service();
    const message = mail();
    await expect(
      db.transaction(async (tx) => {
        await svc.enqueueIn(tx, message);
        throw new Error('the audit record could not be written');
      }),
    ).rejects.toThrow('audit record');
    await svc.deliverNow();
    expect(catcher.messages).toHaveLength(0);
    expect(await svc.outbox.byKey(message.key)).toBeUndefined();
  });

  it('when the same message is queued twice (one key), one copy goes out', async () => {
    const svc = await service();
    const message = mail();
    await queue(svc, message);
    await queue(svc, { ...message, subject: 'a second copy' });
    await svc.deliverNow();
    expect(catcher.messages.map((m) => m.subject)).toEqual([message.subject]);
  });

  it('when the mail server is down, the message waits and is delivered once it is back, exactly once', async () => {
    const port = catcher.port;
    await catcher.close();
    const svc = await service();
    const message = mail();
    await queue(svc, message);
    await svc.deliverNow();
    const waiting = await svc.outbox.byKey(message.key);
    expect(waiting).toMatchObject({ status: 'queued', attempts: 1 });
    expect(waiting?.lastError).toMatch(/could not be reached/);
    expect(waiting?.lastError).not.toContain('smtp://');

    // Not before its backoff is over, even once the server is back.
    catcher = await new MailCatcher({ port }).listen();
    await svc.deliverNow();
    expect(catcher.messages).toHaveLength(0);
    now += 1_000;
    await svc.deliverNow();
    await svc.deliverNow();
    now += 60_000;
    await svc.deliverNow();
    expect(catcher.messages.map((m) => m.subject)).toEqual([message.subject]);
    expect((await svc.outbox.byKey(message.key))?.status).toBe('sent');
  });

  it('when the server says "later" (4xx) it is tried again with backoff; a final "no" (5xx) fails it until an admin retries', async () => {
    const svc = await service();
    const later = mail();
    catcher.refuseWith = 451;
    await queue(svc, later);
    await svc.deliverNow();
    expect(await svc.outbox.byKey(later.key)).toMatchObject({ status: 'queued', attempts: 1 });
    now += 1_000;
    await svc.deliverNow();
    expect(await svc.outbox.byKey(later.key)).toMatchObject({ status: 'queued', attempts: 2 });
    now += 2_000;
    await svc.deliverNow();
    // Three tries allowed here: now it is failed for good, with what the server said.
    const failed = await svc.outbox.byKey(later.key);
    expect(failed).toMatchObject({ status: 'failed', attempts: 3 });
    expect(failed?.lastError).toMatch(/^451 /);

    catcher.refuseWith = 550;
    const never = mail();
    await queue(svc, never);
    await svc.deliverNow();
    expect(await svc.outbox.byKey(never.key)).toMatchObject({ status: 'failed', attempts: 1 });

    catcher.refuseWith = undefined;
    expect(await svc.retry(failed!.id)).toMatchObject({ status: 'queued' });
    await svc.deliverNow();
    expect(catcher.messages.map((m) => m.subject)).toEqual([later.subject]);
    // A sent message cannot be "retried" into a second copy.
    expect(await svc.retry(failed!.id)).toBeUndefined();
  });

  it('when the console dies after the mail server took a message but before marking it, it is never sent again on its own', async () => {
    let handedOver!: () => void;
    const tookIt = new Promise<void>((resolveTook) => (handedOver = resolveTook));
    // The crash: after the hand-over the sender never gets to mark the message sent.
    const dying = await service({
      worker: {
        pollMs: 60_000,
        leaseMs: 60_000,
        afterHandOver: () => {
          handedOver();
          return new Promise<void>(() => {});
        },
      },
    });
    const message = mail();
    await queue(dying, message);
    void dying.deliverNow();
    await tookIt;
    expect(catcher.messages).toHaveLength(1);
    expect((await dying.outbox.byKey(message.key))?.status).toBe('sending');
    services.splice(services.indexOf(dying), 1);

    // Another instance (or the restarted one) after the lease ran out.
    now += 61_000;
    const survivor = await service();
    await survivor.deliverNow();
    await survivor.deliverNow();
    expect(catcher.messages).toHaveLength(1);
    const left = await survivor.outbox.byKey(message.key);
    expect(left?.status).toBe('unconfirmed');
    expect(left?.lastError).toMatch(/may have been sent/);
  });

  it('when many messages are due, no more than the rate goes out per minute; the rest follow', async () => {
    const svc = await service({ ratePerMinute: 3 });
    const messages = [mail(), mail(), mail(), mail(), mail()];
    await queue(svc, ...messages);
    await svc.deliverNow();
    expect(catcher.messages).toHaveLength(3);
    expect((await svc.status()).counts).toMatchObject({ sent: 3, queued: 2, sending: 0 });
  });

  it('when mail is off, nothing is queued and the status says so', async () => {
    const off = new MailService({
      db,
      logger,
      clock,
      smtp: undefined,
      demo: false,
      ratePerMinute: 10,
    });
    await off.start();
    let queued = true;
    await db.transaction(async (tx) => {
      queued = await off.enqueueIn(tx, mail());
    });
    expect(queued).toBe(false);
    expect(await off.status()).toMatchObject({ mode: 'off', from: null, counts: { queued: 0 } });
    await off.stop();
  });
});
