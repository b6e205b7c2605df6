import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import { DENIALS_RECORDED } from './denials.js';

let now = Date.now();
let t: TestConsole;
let admin: Client;
beforeAll(async () => {
  t = await startTestConsole({ clock: () => now });
  admin = await t.login('admin');
});
afterAll(async () => {
  await t.close();
});

interface Denied {
  kind: string;
  operator: string;
  detail: { code: string; more?: number; summary?: string };
}

async function deniedOf(operator: string): Promise<Denied[]> {
  const answer = await admin.get(`/api/audit?operator=${operator}&limit=500`);
  return (answer.json.records as Denied[]).filter((record) => record.kind === 'denied');
}

describe('SECURITY 28: denied requests are throttled before they are written', () => {
  it('when a viewer is refused in a loop, then the first ones are recorded and the rest summarised once', async () => {
    const viewer = await t.login('viewer');
    const extra = 13;
    for (let i = 0; i < DENIALS_RECORDED.limit + extra; i += 1) {
      const answer = await viewer.post('/api/servers/local/whm/twofactorauth_set_issuer', {
        issuer: `x${i}`,
      });
      expect(answer.status).toBe(403);
    }
    expect(await deniedOf('viewer')).toHaveLength(DENIALS_RECORDED.limit);

    now += DENIALS_RECORDED.windowMs + 1;
    await t.running.services.audit.flushDenials();
    const [summary, ...rest] = await deniedOf('viewer');
    expect(rest).toHaveLength(DENIALS_RECORDED.limit);
    expect(summary).toMatchObject({
      operator: 'viewer',
      detail: {
        code: 'denials_summarised',
        more: extra,
        summary: `… and ${extra} more denied requests`,
      },
    });
    // A new window records again; a window within the limit leaves no summary.
    await viewer.post('/api/servers/local/whm/twofactorauth_set_issuer', { issuer: 'again' });
    now += DENIALS_RECORDED.windowMs + 1;
    await t.running.services.audit.flushDenials();
    expect(await deniedOf('viewer')).toHaveLength(DENIALS_RECORDED.limit + 2);
    expect((await admin.get('/api/audit/verify')).json.valid).toBe(true);
  });

  it('when one operator is throttled, then another operator’s denials are still recorded', async () => {
    const support = await t.login('support');
    await support.post('/api/servers/local/whm/twofactorauth_set_issuer', { issuer: 'x' });
    expect(await deniedOf('support')).toHaveLength(1);
  });

  it('when a window ends with the next denial instead of the timer, then the summary is written then', async () => {
    const viewer = await t.login('viewer');
    for (let i = 0; i < DENIALS_RECORDED.limit + 2; i += 1) {
      await viewer.post('/api/servers/local/whm/twofactorauth_enable_policy', {});
    }
    now += DENIALS_RECORDED.windowMs + 1;
    await viewer.post('/api/servers/local/whm/twofactorauth_enable_policy', {});
    const [latest, summary] = await deniedOf('viewer');
    expect(latest!.detail.code).toBe('forbidden');
    expect(summary!.detail).toMatchObject({ code: 'denials_summarised', more: 2 });
  });
});
