import { mkdirSync, mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SHARED_READ_MAX_CALLERS } from '../whm/shared-reads.js';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type TestConsole } from '../testing/harness.js';

const web = mkdtempSync(join(tmpdir(), 'bff-web-'));
mkdirSync(join(web, 'assets'));
writeFileSync(join(web, 'index.html'), '<!doctype html><title>SPA</title><div id="root"></div>');
writeFileSync(join(web, 'assets', 'app.js'), 'console.log("spa")');

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole({ env: { WEB_DIST_DIR: web } });
});
afterAll(async () => {
  await t.close();
});

describe('health, SPA and load', () => {
  it('when /healthz and /readyz are asked, then they answer', async () => {
    const health = await t.anon().get('/healthz', { csrf: false });
    expect(health.status).toBe(200);
    expect(health.json).toEqual({ status: 'ok' });
    expect((await t.anon().get('/readyz', { csrf: false })).status).toBe(200);
  });

  it('when an SPA route or asset is asked, then the built files are served with history fallback', async () => {
    for (const path of ['/', '/accounts', '/audit', '/enroll/step/2']) {
      const answer = await t.anon().get(path, { csrf: false });
      expect(answer.status).toBe(200);
      expect(answer.text).toContain('<title>SPA</title>');
    }
    const asset = await t.anon().get('/assets/app.js', { csrf: false });
    expect(asset.text).toContain('console.log');
    const api = await t.anon().get('/api/nothing');
    expect(api.status).toBe(401);
    const admin = await t.login('admin');
    const unknown = await admin.get('/api/nothing');
    expect(unknown.status).toBe(404);
    expect(unknown.json.code).toBe('not_found');
  });

  it('when the servers are listed, then no URL, user, token or file is shown', async () => {
    const viewer = await t.login('viewer');
    const answer = await viewer.get('/api/servers');
    expect(answer.json).toEqual({
      servers: [{ id: 'local', label: expect.any(String), demo: true, tags: [] }],
    });
    expect(answer.text).not.toContain(t.simToken);
    expect(answer.text).not.toContain('127.0.0.1');
  });

  it('when identical reads are in flight together, then they share one upstream call', async () => {
    const simulator = t.running.simulator!;
    const support = await t.login('support');
    simulator.calls.reset();
    simulator.faults.set({ mode: 'latency', ms: 300, fn: 'twofactorauth_policy_status' });
    try {
      const answers = await Promise.all(
        Array.from({ length: 20 }, () => support.whm('twofactorauth_policy_status')),
      );
      for (const answer of answers) expect(answer.status).toBe(200);
      // Each call serves at most SHARED_READ_MAX_CALLERS callers.
      expect(simulator.calls.count('twofactorauth_policy_status')).toBe(
        Math.ceil(20 / SHARED_READ_MAX_CALLERS),
      );
    } finally {
      simulator.faults.clear();
    }
  });

  it('when operators of different roles read together, then they share one call but each is still checked', async () => {
    const simulator = t.running.simulator!;
    const viewer = await t.login('viewer');
    const admin = await t.login('admin');
    simulator.calls.reset();
    simulator.faults.set({ mode: 'latency', ms: 300, fn: 'twofactorauth_get_user_configs' });
    try {
      const [first, second, noCsrf, anonymous] = await Promise.all([
        viewer.whm('twofactorauth_get_user_configs'),
        admin.whm('twofactorauth_get_user_configs'),
        viewer.get('/api/servers/local/whm/twofactorauth_get_user_configs', { csrf: false }),
        t.anon().whm('twofactorauth_get_user_configs'),
      ]);
      expect(first.status).toBe(200);
      expect(second.status).toBe(200);
      expect(second.text).toBe(first.text);
      expect(first.headers['content-type']).toMatch(/^application\/json/);
      expect(first.headers['cache-control']).toBe('no-store');
      expect(noCsrf.status).toBe(403);
      expect(anonymous.status).toBe(401);
      expect(simulator.calls.count('twofactorauth_get_user_configs')).toBe(1);
    } finally {
      simulator.faults.clear();
    }
  });

  it('when 1,500 reads arrive 50 at a time (SECURITY 19), then every one is answered 200', async () => {
    const support = await t.login('support');
    // No search among them: searches sent to WHM are rate-limited per operator (searches.test.ts).
    const queries = ['want=user', 'want=user,domain', 'want=user,owner', ''];
    let next = 0;
    const statuses: number[] = [];
    await Promise.all(
      Array.from({ length: 50 }, async () => {
        while (next < 1500) {
          const i = next++;
          const answer = await support.whm('listaccts', queries[i % queries.length]);
          statuses.push(answer.status);
        }
      }),
    );
    expect(statuses).toHaveLength(1500);
    expect(statuses.every((status) => status === 200)).toBe(true);
    expect((await t.anon().get('/healthz', { csrf: false })).status).toBe(200);
  }, 60_000);
});
