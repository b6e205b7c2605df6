import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

const METRICS_TOKEN = 'metrics-token-for-tests-0123456789';

/** The value of one series in Prometheus text, e.g. `name{a="b",c="d"}`; 0 when absent. */
function value(text: string, series: string): number {
  for (const line of text.split('\n')) {
    if (line.startsWith(`${series} `)) return Number(line.slice(series.length + 1));
  }
  return 0;
}

async function scrape(t: TestConsole, authorization?: string) {
  const answer = await request(`${t.url}/metrics`, {
    headers: authorization ? { authorization } : {},
  });
  return { status: answer.statusCode, headers: answer.headers, text: await answer.body.text() };
}

describe('GET /metrics without METRICS_TOKEN', () => {
  let t: TestConsole;
  beforeAll(async () => {
    t = await startTestConsole();
  });
  afterAll(async () => {
    await t.close();
  });

  it('when no token is configured, then /metrics is not found (not the web app, not figures)', async () => {
    const answer = await scrape(t, `Bearer ${METRICS_TOKEN}`);
    expect(answer.status).toBe(404);
    expect(JSON.parse(answer.text)).toMatchObject({ code: 'not_found' });
  });
});

describe('GET /metrics with METRICS_TOKEN', () => {
  let t: TestConsole;
  beforeAll(async () => {
    t = await startTestConsole({ env: { METRICS_TOKEN } });
  });
  afterAll(async () => {
    await t.close();
  });

  it('when the bearer token is missing or wrong, then 401 with a Bearer challenge and no figures', async () => {
    for (const authorization of [undefined, 'Bearer wrong-token', `Basic ${METRICS_TOKEN}`]) {
      const answer = await scrape(t, authorization);
      expect(answer.status, String(authorization)).toBe(401);
      expect(answer.headers['www-authenticate']).toMatch(/^Bearer/);
      expect(answer.text).not.toContain('console_');
    }
  });

  it('when reads, a fault, failed sign-ins and throttles happen, then the figures count them', async () => {
    const hot = 'route="/api/servers/:server/whm/:function",method="GET",status="200"';
    const before = (await scrape(t, `Bearer ${METRICS_TOKEN}`)).text;

    const admin = await t.login('admin');
    await Promise.all(Array.from({ length: 12 }, () => admin.whm('twofactorauth_policy_status')));
    const simulator = t.running.simulator!;
    simulator.faults.set({ mode: 'reset', fn: 'twofactorauth_get_issuer' });
    expect((await admin.whm('twofactorauth_get_issuer')).status).toBe(502);
    simulator.faults.clear();
    for (let i = 0; i < 7; i++) {
      await t.anon().request('POST', '/api/session', {
        body: { username: 'viewer', password: 'not-the-password' },
      });
    }

    const answer = await scrape(t, `Bearer ${METRICS_TOKEN}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain/);
    const text = answer.text;
    const grew = (series: string) => value(text, series) - value(before, series);

    expect(grew(`console_http_request_duration_seconds_count{${hot}}`)).toBe(12);
    expect(
      grew(
        'console_http_request_duration_seconds_count{route="/api/session",method="POST",status="401"}',
      ),
    ).toBeGreaterThanOrEqual(5);
    const policy = 'server="local",function="twofactorauth_policy_status"';
    const calls = grew(`console_whm_call_duration_seconds_count{${policy},outcome="200"}`);
    const joins = grew(`console_shared_read_joins_total{${policy}}`);
    expect(calls).toBeGreaterThan(0);
    // Twelve reads at once: each either made a call or joined one.
    expect(calls + joins).toBe(12);
    expect(joins).toBeGreaterThan(0);
    expect(
      grew(
        'console_whm_faults_total{server="local",function="twofactorauth_get_issuer",fault="network"}',
      ),
    ).toBe(1);
    expect(grew('console_login_failures_total{reason="password"}')).toBeGreaterThanOrEqual(5);
    expect(grew('console_throttled_total{limiter="login:user"}')).toBeGreaterThanOrEqual(1);
    expect(
      grew('console_audit_writes_total{kind="session",outcome="failure"}'),
    ).toBeGreaterThanOrEqual(5);
    expect(value(text, 'console_active_sessions')).toBeGreaterThanOrEqual(1);
    expect(text).toContain('process_resident_memory_bytes');
  });

  it('when scraped, then no label names an operator, a session, a token or an account', async () => {
    const admin = await t.login('admin');
    await admin.whm('listaccts', 'want=user');
    const { text } = await scrape(t, `Bearer ${METRICS_TOKEN}`);
    const labelValues = [...text.matchAll(/="([^"]*)"/g)].map((match) => match[1]!);
    for (const secret of [METRICS_TOKEN, t.simToken, admin.cookie!.split('=')[1]!]) {
      expect(text).not.toContain(secret);
    }
    for (const name of ['admin', 'viewer', 'support', 'root']) {
      expect(labelValues).not.toContain(name);
    }
    // Routes are patterns, never paths with ids in them.
    for (const label of labelValues.filter((label) => label.startsWith('/api'))) {
      expect(label).not.toMatch(/\/local\b/);
    }
  });
});
