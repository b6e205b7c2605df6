import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

let t: TestConsole;
let admin: Client;
beforeAll(async () => {
  t = await startTestConsole();
  admin = await t.login('admin');
  await admin.stepUp();
});
afterAll(async () => {
  await t.close();
});

/** Bidi overrides, isolates and marks, line and paragraph separators, C0 and C1 controls. */
const HIDDEN = ['\u202e', '\u202a', '\u2066', '\u2069', '\u200f', '\u2028', '\u2029', '\u0085'];

describe('audit text: no bidi or line-separator tricks in the log', () => {
  it('when an operator types a removal reason with a hidden control, then it is a 400 naming reason', async () => {
    for (const hidden of HIDDEN) {
      const answer = await admin.whmWrite('twofactorauth_remove_user_config', {
        user: 'nosuchuser',
        reason: `ticket 12${hidden}3 lost phone`,
      });
      expect(answer.status, JSON.stringify(hidden)).toBe(400);
      expect(answer.json).toMatchObject({ code: 'invalid_params', field: 'reason' });
    }
  });

  it('when a login username carries a hidden control, then it is a 400 naming username', async () => {
    const answer = await t.anon().request('POST', '/api/session', {
      body: { username: 'admin\u202etoor', password: 'x' },
      csrf: false,
    });
    expect(answer.status).toBe(400);
    expect(answer.json.field).toBe('username');
  });

  it('when text that no operator typed reaches a record (a function name in the URL), then it is neutralised', async () => {
    const viewer = await t.login('viewer');
    const answer = await viewer.get('/api/servers/local/whm/%E2%80%AEgnp.exe%E2%80%A8x');
    expect(answer.status).toBe(404);
    const audit = await admin.get('/api/audit?operator=viewer&limit=5');
    const denied = audit.json.records.find(
      (record: { kind: string; detail: { code?: string } }) =>
        record.kind === 'denied' && record.detail.code === 'unknown_function',
    );
    expect(denied.function).toBe('\ufffdgnp.exe\ufffdx');
    expect((await admin.get('/api/audit/verify')).json.valid).toBe(true);
  });
});
