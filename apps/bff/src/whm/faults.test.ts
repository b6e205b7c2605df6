import { startSimulator, type FaultSpec, type Simulator } from '@console/whm-sim';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import {
  closedPortUrl,
  startCaptureServer,
  startRawServer,
  startWrongHostTls,
  type CaptureServer,
  type RawServer,
} from '../testing/upstreams.js';

const TIMEOUT_MS = 1000;
const SLACK_MS = 1000;

async function timed<T>(work: () => Promise<T>): Promise<{ value: T; ms: number }> {
  const started = Date.now();
  const value = await work();
  return { value, ms: Date.now() - started };
}

describe('SECURITY 17, 18: simulator faults', () => {
  let t: TestConsole;
  let simulator: Simulator;
  let admin: Client;
  beforeAll(async () => {
    t = await startTestConsole({ env: { WHM_TIMEOUT_MS: String(TIMEOUT_MS) } });
    simulator = t.running.simulator!;
    admin = await t.login('admin');
  });
  afterAll(async () => {
    await t?.close();
  });
  beforeEach(() => {
    simulator.faults.clear();
    simulator.calls.reset();
  });

  const cases: [FaultSpec, number, string][] = [
    [{ mode: 'latency', ms: 5_000 }, 504, 'upstream_timeout'],
    [{ mode: 'hang' }, 504, 'upstream_timeout'],
    [{ mode: 'stall' }, 504, 'upstream_timeout'],
    [{ mode: 'reset' }, 502, 'upstream_unavailable'],
    [{ mode: 'status', status: 500 }, 502, 'upstream_unavailable'],
    [{ mode: 'status', status: 503 }, 502, 'upstream_unavailable'],
    [{ mode: 'html' }, 502, 'upstream_unavailable'],
    [{ mode: 'truncated' }, 502, 'upstream_unavailable'],
    [{ mode: 'result0', reason: 'Something went wrong at WHM.' }, 422, 'whm_refused'],
  ];
  for (const [spec, status, code] of cases) {
    it(`when WHM faults with ${JSON.stringify(spec)}, then the answer is a prompt ${status} ${code} and the next request works`, async () => {
      simulator.faults.set({ ...spec, fn: 'twofactorauth_policy_status' });
      const { value: answer, ms } = await timed(() => admin.whm('twofactorauth_policy_status'));
      expect(answer.status, answer.text).toBe(status);
      expect(answer.json.code).toBe(code);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      simulator.faults.clear();
      const next = await admin.whm('twofactorauth_policy_status');
      expect(next.status).toBe(200);
    });
  }

  it('when a read is reset once, then it is retried once and succeeds', async () => {
    simulator.faults.set({ mode: 'reset', fn: 'twofactorauth_get_issuer', times: 1 });
    const answer = await admin.whm('twofactorauth_get_issuer');
    expect(answer.status).toBe(200);
    expect(simulator.calls.count('twofactorauth_get_issuer')).toBe(2);
  });

  it('when a read keeps failing, then it is tried at most twice', async () => {
    simulator.faults.set({ mode: 'reset', fn: 'twofactorauth_get_issuer' });
    const answer = await admin.whm('twofactorauth_get_issuer');
    expect(answer.status).toBe(502);
    expect(simulator.calls.count('twofactorauth_get_issuer')).toBe(2);
  });

  it('when a write is reset after it was sent, then it is never retried and the outcome is unknown with the state read again', async () => {
    simulator.faults.set({ mode: 'reset', fn: 'twofactorauth_enable_policy', times: 1 });
    const answer = await admin.post('/api/servers/local/whm/twofactorauth_enable_policy', {});
    expect(answer.status).toBe(502);
    expect(simulator.calls.count('twofactorauth_enable_policy')).toBe(1);
    const audit = await admin.get('/api/audit?function=twofactorauth_enable_policy&limit=1');
    expect(audit.json.records[0]).toMatchObject({ kind: 'outcome', outcome: 'unknown' });
    expect(audit.json.records[0].detail.after).toHaveProperty('is_enabled');
    expect(simulator.calls.count('twofactorauth_policy_status')).toBe(1);
  });

  it('when a write is refused by WHM, then the outcome is a failure with WHM’s reason', async () => {
    simulator.faults.set({
      mode: 'result0',
      fn: 'twofactorauth_enable_policy',
      reason: 'Nope.',
      times: 1,
    });
    const answer = await admin.post('/api/servers/local/whm/twofactorauth_enable_policy', {});
    expect(answer.status).toBe(422);
    const audit = await admin.get('/api/audit?function=twofactorauth_enable_policy&limit=1');
    expect(audit.json.records[0]).toMatchObject({ outcome: 'failure', detail: { error: 'Nope.' } });
  });

  it('when a write times out, then it is recorded as unknown and the state is read again', async () => {
    simulator.faults.set({ mode: 'hang', fn: 'twofactorauth_set_issuer', times: 1 });
    const answer = await admin.post('/api/servers/local/whm/twofactorauth_set_issuer', {
      issuer: 'Timed Out',
    });
    expect(answer.status).toBe(504);
    expect(simulator.calls.count('twofactorauth_set_issuer')).toBe(1);
    expect(simulator.calls.count('twofactorauth_get_issuer')).toBe(1);
    const audit = await admin.get('/api/audit?function=twofactorauth_set_issuer&limit=2');
    const [outcome, intent] = audit.json.records;
    expect(intent.kind).toBe('intent');
    expect(outcome).toMatchObject({ kind: 'outcome', outcome: 'unknown' });
    expect(outcome.detail.after).toHaveProperty('issuer');
  });

  it('when a removal times out, then the outcome is unknown with each account’s state after', async () => {
    const target = simulator.accounts().find((a) => a.tfa && !a.reseller && a.owner === 'root')!;
    await admin.stepUp();
    simulator.faults.set({ mode: 'hang', fn: 'twofactorauth_remove_user_config', times: 1 });
    const answer = await admin.post('/api/servers/local/whm/twofactorauth_remove_user_config', {
      user: target.user,
      reason: 'ticket 5: timed out',
    });
    expect(answer.status).toBe(504);
    const audit = await admin.get(`/api/audit?target=${target.user}&limit=2`);
    expect(audit.json.records[0]).toMatchObject({
      outcome: 'unknown',
      detail: { prior: { [target.user]: true }, after: { [target.user]: true } },
    });
  });
});

describe('SECURITY 3, 17: raw sockets and certificates', () => {
  let t: TestConsole;
  let admin: Client;
  const closers: (() => Promise<void>)[] = [];
  let tlsSim: Simulator;
  let hang: RawServer;
  beforeAll(async () => {
    const reset = await startRawServer((socket) =>
      socket.once('data', () => socket.resetAndDestroy()),
    );
    hang = await startRawServer(() => undefined);
    const stall = await startRawServer((socket) =>
      socket.once('data', () =>
        socket.write(
          'HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 500\r\n\r\n{"metadata":',
        ),
      ),
    );
    const garbage = await startRawServer((socket) =>
      socket.once('data', () => socket.end('this is not http\r\n\r\n')),
    );
    const html: CaptureServer = await startCaptureServer((_request, res) => {
      res.setHeader('content-type', 'text/html');
      res.end('<html><body>cPanel login</body></html>');
    });
    const truncated = await startCaptureServer((_request, res) => {
      res.setHeader('content-type', 'application/json');
      res.end('{"metadata":{"result":1,"reas');
    });
    tlsSim = await startSimulator({ rootToken: 'tls-token', tls: true, accounts: 3 });
    const wrongHost = await startWrongHostTls();
    closers.push(
      () => reset.close(),
      () => hang.close(),
      () => stall.close(),
      () => garbage.close(),
      () => html.close(),
      () => truncated.close(),
      () => tlsSim.close(),
      () => wrongHost.close(),
    );
    const server = (id: string, url: string, extra: { ca?: string; token?: string } = {}) => ({
      id,
      label: id,
      url,
      user: 'root',
      token: extra.token ?? 'raw-token',
      ca: extra.ca,
      demo: false,
    });
    t = await startTestConsole({
      env: { WHM_TIMEOUT_MS: String(TIMEOUT_MS) },
      servers: [
        server('refused', await closedPortUrl()),
        server('reset', reset.url),
        server('hang', hang.url),
        server('stall', stall.url),
        server('garbage', garbage.url),
        server('html', html.url),
        server('truncated', truncated.url),
        server('tls-pinned', tlsSim.url, { ca: tlsSim.caCert!, token: 'tls-token' }),
        server('tls-unpinned', tlsSim.url, { token: 'tls-token' }),
        server('tls-wrong-host', wrongHost.url, { ca: wrongHost.ca }),
      ],
    });
    admin = await t.login('admin');
  });
  afterAll(async () => {
    await t?.close();
    for (const close of closers) await close();
  });

  const cases: [string, number, string, RegExp?][] = [
    ['refused', 502, 'upstream_unavailable', /ECONNREFUSED/],
    ['reset', 502, 'upstream_unavailable'],
    ['hang', 504, 'upstream_timeout'],
    ['stall', 504, 'upstream_timeout'],
    ['garbage', 502, 'upstream_unavailable'],
    ['html', 502, 'upstream_unavailable'],
    ['truncated', 502, 'upstream_unavailable'],
    ['tls-unpinned', 502, 'upstream_unavailable', /certificate/],
    ['tls-wrong-host', 502, 'upstream_unavailable', /ERR_TLS_CERT_ALTNAME_INVALID/],
  ];
  for (const [id, status, code, message] of cases) {
    it(`when the upstream is ${id}, then the answer is a prompt ${status} ${code} and the BFF serves the next request`, async () => {
      const { value: answer, ms } = await timed(() =>
        admin.whm('twofactorauth_policy_status', '', id),
      );
      expect(answer.status, answer.text).toBe(status);
      expect(answer.json.code).toBe(code);
      if (message) expect(answer.json.message).toMatch(message);
      expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
      const next = await admin.whm('twofactorauth_policy_status', '', 'tls-pinned');
      expect(next.status, next.text).toBe(200);
    });
  }

  it('when several requests hang at once, then each ends within the timeout and none is left hanging', async () => {
    const { value: answers, ms } = await timed(() =>
      Promise.all(
        Array.from({ length: 8 }, (_, i) =>
          admin.whm('listaccts', `search=u${i}&searchtype=user`, 'hang'),
        ),
      ),
    );
    for (const answer of answers) expect(answer.status).toBe(504);
    expect(ms).toBeLessThan(TIMEOUT_MS + SLACK_MS);
    expect((await admin.get('/healthz')).status).toBe(200);
  });

  it('when the certificate is pinned with WHM_CA_FILE, then TLS is verified and calls work', async () => {
    const answer = await admin.whm('listaccts', 'want=user', 'tls-pinned');
    expect(answer.status).toBe(200);
    expect(answer.json.data.acct.length).toBeGreaterThan(0);
  });
});
