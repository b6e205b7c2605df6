import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { MailCatcher, SMTP_TEMPORARY_FAILURE, type CaughtMail } from '../mail/mail-catcher.js';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

/**
 * The helpdesk through the whole BFF: a caller verified by a code mailed to the account's contact
 * address in WHM (a real SMTP server of the test's), the removal that the verification backs, and
 * the notice the account holder gets after it.
 */
let t: TestConsole;
let catcher: MailCatcher;
let admin: Client;
let support: Client;
let viewer: Client;
let offset = 0;
const reason = 'ticket 4711: customer lost their phone';

beforeAll(async () => {
  catcher = await new MailCatcher().listen();
  t = await startTestConsole({
    accounts: 200,
    clock: () => Date.now() + offset,
    mail: {
      smtp: { url: catcher.url, from: 'Example Hosting <support@example.com>' },
      worker: { pollMs: 100, backoffBaseMs: 50, maxAttempts: 5, leaseMs: 5_000 },
    },
  });
  admin = await t.login('admin');
  support = await t.login('support');
  viewer = await t.login('viewer');
});
afterAll(async () => {
  await t.close();
  await catcher.close();
});
beforeEach(() => {
  catcher.refuseWith = undefined;
});

/** Ordinary enrolled accounts with a contact address, a fresh one for each test. */
const used = new Set<string>();
function enrolledAccount(withEmail = true) {
  const account = t.running
    .simulator!.accounts()
    .find(
      (a) =>
        a.tfa &&
        !a.reseller &&
        a.user !== 'root' &&
        !used.has(a.user) &&
        (a.email !== '*unknown*') === withEmail,
    );
  if (!account) throw new Error('the simulator has no account left for this test');
  used.add(account.user);
  return account;
}

async function mailTo(address: string, after: number): Promise<CaughtMail> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const found = catcher.messages.find((m) => m.seq > after && m.to.includes(address));
    if (found) return found;
    if (Date.now() > deadline) throw new Error(`no mail to ${address}`);
    await catcher.waitFor(catcher.messages.length + 1, 500).catch(() => undefined);
  }
}

const lastSeq = () => catcher.messages.at(-1)?.seq ?? 0;
const codeIn = (mail: CaughtMail) => /\b(\d{6})\b/.exec(mail.text)?.[1] ?? '';

async function sendCode(client: Client, user: string) {
  return client.post('/api/verifications', { server: 'local', user });
}

/** Sends a code for `user` as `client` and returns the verification id and the mailed code. */
async function codeFor(client: Client, account: { user: string; email: string }) {
  const before = lastSeq();
  const sent = await sendCode(client, account.user);
  expect(sent.status, sent.text).toBe(201);
  const mail = await mailTo(account.email, before);
  return { id: sent.json.id as string, code: codeIn(mail), mail, sent: sent.json };
}

async function remove(
  client: Client,
  user: string | string[],
  extra: Record<string, unknown> = {},
) {
  await client.stepUp();
  return client.whmWrite('twofactorauth_remove_user_config', { user, reason, ...extra });
}

async function setSettings(changes: Record<string, unknown>) {
  await admin.stepUp();
  const answer = await admin.request('PATCH', '/api/mail/settings', { body: changes });
  expect(answer.status, answer.text).toBe(200);
}

async function lastRecordFor(user: string, kind = 'outcome') {
  const answer = await admin.get(`/api/audit?target=${user}&limit=20`);
  expect(answer.status, answer.text).toBe(200);
  return (answer.json.records as { kind: string; target: string[]; detail: any }[]).find(
    (r) => r.kind === kind && r.target.includes(user),
  );
}

describe('verifying a caller by a mailed code', () => {
  it('when support sends a code, then the account address gets 6 digits that are stored only as a hash, and the answer shows the address masked', async () => {
    const account = enrolledAccount();
    const { id, code, mail, sent } = await codeFor(support, account);
    expect(code).toMatch(/^\d{6}$/);
    expect(mail.from).toBe('support@example.com');
    expect(mail.subject).toContain(account.user);
    expect(mail.text).toContain('10 minutes');
    expect(sent.sentTo).not.toBe(account.email);
    expect(sent.sentTo).toContain(`@${account.email.split('@')[1]}`);
    expect(sent.sentTo).not.toContain(account.email.split('@')[0]);
    const rows = await t.running.services.db.query(
      'SELECT * FROM caller_verifications WHERE id = $1',
      [id],
    );
    expect(rows).toHaveLength(1);
    expect(JSON.stringify(rows)).not.toContain(code);
    // Once sent, the outbox keeps no copy of the code for an admin to read.
    const outbox = await admin.get('/api/mail/outbox');
    expect(outbox.status, outbox.text).toBe(200);
    expect(outbox.text).not.toContain(code);
  });

  it('when the caller reads back a wrong code, then it says how many tries are left; the right one verifies', async () => {
    const account = enrolledAccount();
    const { id, code } = await codeFor(support, account);
    const wrong = code === '000000' ? '111111' : '000000';
    const first = await support.post(`/api/verifications/${id}/check`, { code: wrong });
    expect(first.status, first.text).toBe(400);
    expect(first.json.code).toBe('wrong_code');
    expect(first.json.message).toContain('4 tries left');
    const right = await support.post(`/api/verifications/${id}/check`, { code });
    expect(right.status, right.text).toBe(200);
    expect(right.json.verified).toBe(true);
  });

  it('when five wrong codes are typed, then the code is dead, even the right one', async () => {
    const account = enrolledAccount();
    const { id, code } = await codeFor(support, account);
    const wrong = code === '000000' ? '111111' : '000000';
    const answers = [];
    for (let i = 0; i < 5; i += 1) {
      answers.push(await support.post(`/api/verifications/${id}/check`, { code: wrong }));
    }
    expect(answers.map((a) => a.json.code as string)).toEqual([
      'wrong_code',
      'wrong_code',
      'wrong_code',
      'wrong_code',
      'too_many_tries',
    ]);
    const right = await support.post(`/api/verifications/${id}/check`, { code });
    expect(right.status).toBe(429);
    expect(right.json.code).toBe('too_many_tries');
    expect((await lastRecordFor(account.user, 'operator'))?.detail.action).toBe(
      'verification_locked',
    );
  });

  it('when a code is not a code or the id is not an id, then 400 names the field and nothing is tried', async () => {
    const account = enrolledAccount();
    const { id } = await codeFor(support, account);
    const short = await support.post(`/api/verifications/${id}/check`, { code: '12345' });
    expect(short.status).toBe(400);
    expect(short.text).toContain('code');
    const badId = await support.post('/api/verifications/not-an-id/check', { code: '123456' });
    expect(badId.status).toBe(400);
    const badUser = await sendCode(support, 'no such user!');
    expect(badUser.status).toBe(400);
    expect(badUser.text).toContain('user');
  });

  it('when another operator checks the code, then there is no such verification for them', async () => {
    const account = enrolledAccount();
    const { id, code } = await codeFor(admin, account);
    const other = await support.post(`/api/verifications/${id}/check`, { code });
    expect(other.status).toBe(404);
    // The try was not theirs to use up: the sender can still check it.
    const own = await admin.post(`/api/verifications/${id}/check`, { code });
    expect(own.status, own.text).toBe(200);
    // Nor can support back a removal with the admin's verification.
    const removal = await remove(support, account.user, {
      verification: 'email_code',
      verification_ref: id,
    });
    expect(removal.status).toBe(403);
    expect(removal.json.code).toBe('verification_invalid');
    expect(t.running.simulator!.secretOf(account.user)).toBeDefined();
  });

  it('when a viewer asks for a code or support asks for a reseller, then 403 and no mail', async () => {
    const before = lastSeq();
    const account = enrolledAccount();
    const asViewer = await sendCode(viewer, account.user);
    expect(asViewer.status).toBe(403);
    const reseller = t.running.simulator!.accounts().find((a) => a.reseller)!;
    const asSupport = await sendCode(support, reseller.user);
    expect(asSupport.status).toBe(403);
    const root = await sendCode(support, 'root');
    expect(root.status).toBe(403);
    await new Promise((r) => setTimeout(r, 300));
    expect(catcher.messages.filter((m) => m.seq > before)).toEqual([]);
  });

  it('when the account has no contact address in WHM, then the method is unavailable and says so', async () => {
    const account = enrolledAccount(false);
    const answer = await sendCode(support, account.user);
    expect(answer.status).toBe(409);
    expect(answer.json.code).toBe('no_contact_email');
    expect(answer.json.message).toContain(account.user);
  });

  it('when a code is checked after ten minutes, then it has expired', async () => {
    const account = enrolledAccount();
    const { id, code } = await codeFor(support, account);
    offset += 10 * 60_000 + 1_000;
    try {
      const late = await support.post(`/api/verifications/${id}/check`, { code });
      expect(late.status).toBe(410);
      expect(late.json.code).toBe('code_expired');
    } finally {
      offset -= 10 * 60_000 + 1_000;
    }
  });
});

describe('a removal backed by a verification, and the notice after it', () => {
  it('when support removes 2FA with a checked code, then the record says how the caller was verified and the holder gets one notice without the reason or a secret', async () => {
    const account = enrolledAccount();
    const secret = t.running.simulator!.secretOf(account.user)!;
    const { id, code, sent } = await codeFor(support, account);
    expect((await support.post(`/api/verifications/${id}/check`, { code })).status).toBe(200);
    const before = lastSeq();
    const removal = await remove(support, account.user, {
      verification: 'email_code',
      verification_ref: id,
    });
    expect(removal.status, removal.text).toBe(200);
    expect(removal.json.notices).toEqual({ queued: 1, withoutAddress: [] });
    expect(t.running.simulator!.secretOf(account.user)).toBeUndefined();
    const outcome = await lastRecordFor(account.user);
    expect(outcome?.detail.verification).toEqual({
      method: 'email_code',
      verification: id,
      sentTo: sent.sentTo,
    });
    expect(outcome?.detail.notices).toEqual({ queued: 1, withoutAddress: [] });

    const notice = await mailTo(account.email, before);
    expect(notice.subject).toBe(`Two-factor authentication was removed from ${account.user}`);
    expect(notice.text).toContain(account.user);
    expect(notice.text).toContain(account.domain);
    expect(notice.text).toContain('Two-Factor Authentication');
    expect(notice.html).toContain(account.user);
    for (const body of [notice.text, notice.html, JSON.stringify(notice.headers)]) {
      expect(body).not.toContain('ticket 4711');
      expect(body).not.toContain('lost their phone');
      expect(body).not.toContain(secret);
      expect(body).not.toContain(code);
    }
    expect(notice.messageId).toMatch(/^<.+@twofactor-console\.invalid>$/);
    await new Promise((r) => setTimeout(r, 400));
    expect(
      catcher.messages.filter((m) => m.seq > before && m.to.includes(account.email)),
    ).toHaveLength(1);
  });

  it('when the same verification backs a second removal, or one for another account, then 403 and WHM is untouched', async () => {
    const account = enrolledAccount();
    const other = enrolledAccount();
    const { id, code } = await codeFor(support, account);
    expect((await support.post(`/api/verifications/${id}/check`, { code })).status).toBe(200);
    const wrongAccount = await remove(support, other.user, {
      verification: 'email_code',
      verification_ref: id,
    });
    expect(wrongAccount.status).toBe(403);
    expect(wrongAccount.json.code).toBe('verification_invalid');
    expect(t.running.simulator!.secretOf(other.user)).toBeDefined();
    // A refused use did not spend it: the right account still can.
    const first = await remove(support, account.user, {
      verification: 'email_code',
      verification_ref: id,
    });
    expect(first.status, first.text).toBe(200);
    const replay = await remove(support, account.user, {
      verification: 'email_code',
      verification_ref: id,
    });
    expect(replay.status).toBe(403);
    expect(replay.json.code).toBe('verification_invalid');
  });

  it('when an unchecked code is given, then the removal is refused', async () => {
    const account = enrolledAccount();
    const { id } = await codeFor(support, account);
    const removal = await remove(support, account.user, {
      verification: 'email_code',
      verification_ref: id,
    });
    expect(removal.status).toBe(403);
    expect(t.running.simulator!.secretOf(account.user)).toBeDefined();
  });

  it('when a bulk removal takes three accounts, then each holder with an address gets one notice, and the one without is named', async () => {
    const targets = [enrolledAccount(), enrolledAccount(), enrolledAccount(false)];
    const before = lastSeq();
    const removal = await remove(
      admin,
      targets.map((a) => a.user),
    );
    expect(removal.status, removal.text).toBe(200);
    const outcome = await lastRecordFor(targets[0]!.user);
    expect(outcome?.detail.notices).toEqual({ queued: 2, withoutAddress: [targets[2]!.user] });
    const notices = await Promise.all(targets.slice(0, 2).map((a) => mailTo(a.email, before)));
    expect(notices.map((n) => n.to)).toEqual([[targets[0]!.email], [targets[1]!.email]]);
    await new Promise((r) => setTimeout(r, 400));
    const since = catcher.messages.filter((m) => m.seq > before);
    expect(since).toHaveLength(2);
    // One message per account: nobody sees another holder's account.
    expect(since[0]!.text).not.toContain(targets[1]!.user);
  });

  it('when the mail server refuses for a while, then the notice is delivered once it accepts again, exactly once', async () => {
    const account = enrolledAccount();
    catcher.refuseWith = SMTP_TEMPORARY_FAILURE;
    const before = lastSeq();
    const removal = await remove(admin, account.user);
    expect(removal.status, removal.text).toBe(200);
    await new Promise((r) => setTimeout(r, 500));
    expect(catcher.messages.filter((m) => m.seq > before)).toEqual([]);
    const queued = await admin.get('/api/mail/outbox');
    // Waiting for its next try, or in one that the server refuses again: not sent.
    expect(['queued', 'sending']).toContain(
      (queued.json.messages as { to: string; status: string }[]).find((m) => m.to === account.email)
        ?.status,
    );
    catcher.refuseWith = undefined;
    await mailTo(account.email, before);
    await new Promise((r) => setTimeout(r, 600));
    expect(
      catcher.messages.filter((m) => m.seq > before && m.to.includes(account.email)),
    ).toHaveLength(1);
    const sent = await admin.get('/api/mail/outbox');
    expect(
      (sent.json.messages as { to: string; status: string }[]).find((m) => m.to === account.email)
        ?.status,
    ).toBe('sent');
  });
});

describe('mail settings', () => {
  it('when an admin requires verification, then support cannot remove without it, and a ticket counts only once an admin allows it (with step-up)', async () => {
    const account = enrolledAccount();
    await setSettings({ callerVerification: 'required' });
    try {
      const bare = await remove(support, account.user);
      expect(bare.status).toBe(403);
      expect(bare.json.code).toBe('verification_required');
      const ticket = await remove(support, account.user, {
        verification: 'ticket',
        verification_ref: 'HD-1234',
      });
      expect(ticket.status).toBe(403);
      expect(ticket.json.code).toBe('verification_invalid');
      expect(t.running.simulator!.secretOf(account.user)).toBeDefined();

      // Allowing tickets makes resets easier: without a fresh step-up it is refused.
      const fresh = await t.login('admin');
      const unproven = await fresh.request('PATCH', '/api/mail/settings', {
        body: { ticketVerification: true },
      });
      expect(unproven.status, unproven.text).toBe(401);
      expect(unproven.json.code).toBe('step_up_required');
      await setSettings({ ticketVerification: true });
      const allowed = await remove(support, account.user, {
        verification: 'ticket',
        verification_ref: 'HD-1234',
      });
      expect(allowed.status, allowed.text).toBe(200);
      expect((await lastRecordFor(account.user))?.detail.verification).toEqual({
        method: 'ticket',
        ticket: 'HD-1234',
      });
      const info = await support.get('/api/mail');
      expect(info.json).toMatchObject({
        mode: 'smtp',
        callerVerification: 'required',
        ticketVerification: true,
      });
    } finally {
      await setSettings({ callerVerification: 'optional', ticketVerification: false });
    }
  });

  it('when an admin edits the notice, then the next notice carries the subject and paragraph, and support may not edit it', async () => {
    const account = enrolledAccount();
    const denied = await support.request('PATCH', '/api/mail/settings', {
      body: { noticeParagraph: 'x' },
    });
    expect(denied.status).toBe(403);
    await setSettings({
      noticeSubject: 'Security notice for {account} at {host}',
      noticeParagraph: 'Our office hours are 9–17.',
      contact: 'abuse@example.com',
    });
    const before = lastSeq();
    expect((await remove(admin, account.user)).status).toBe(200);
    const notice = await mailTo(account.email, before);
    expect(notice.subject).toMatch(new RegExp(`^Security notice for ${account.user} at .+`));
    expect(notice.text).toContain('Our office hours are 9–17.');
    expect(notice.text).toContain('abuse@example.com');
    const badSubject = await admin.request('PATCH', '/api/mail/settings', {
      body: { noticeSubject: '' },
    });
    expect(badSubject.status).toBe(400);
    expect(badSubject.text).toContain('noticeSubject');
  });
});
