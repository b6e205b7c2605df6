import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { WhmError, WhmTransportError } from '@console/whm-api';
import { parseFaultFlag } from './faults.js';
import { ROOT_TOKEN, startTestSimulator, type TestSimulator } from './test-support/simulator.js';

let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator();
});
afterEach(() => {
  t.sim.faults.clear();
  t.sim.calls.reset();
});
afterAll(() => t.sim.close());

const quick = () => t.clientFor('root', ROOT_TOKEN, 300);
const status = () => quick().call('twofactorauth_policy_status', {});

async function failureOf(call: Promise<unknown>): Promise<WhmTransportError> {
  const error = await call.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof WhmTransportError))
    throw new Error(`expected a transport error, got ${String(error)}`);
  return error;
}

describe('fault injection', () => {
  it('when latency is injected, then the answer comes late but whole', async () => {
    t.sim.faults.set({ mode: 'latency', ms: 150 });
    const started = performance.now();
    await expect(t.root.call('twofactorauth_policy_status', {})).resolves.toEqual({
      is_enabled: 0,
    });
    expect(performance.now() - started).toBeGreaterThanOrEqual(140);
  });

  it('when the server hangs before headers, then the client times out', async () => {
    t.sim.faults.set({ mode: 'hang' });
    expect((await failureOf(status())).failure).toBe('timeout');
  });

  it('when the server stalls mid-body, then the client times out', async () => {
    t.sim.faults.set({ mode: 'stall' });
    expect((await failureOf(status())).failure).toBe('timeout');
  });

  it('when the connection is reset, then the client reports a network error', async () => {
    t.sim.faults.set({ mode: 'reset' });
    expect((await failureOf(status())).failure).toBe('network');
  });

  it('when the server answers 5xx, then the client reports the HTTP status', async () => {
    t.sim.faults.set({ mode: 'status', status: 503 });
    expect(await failureOf(status())).toMatchObject({ failure: 'http_status', status: 503 });
    t.sim.faults.set({ mode: 'status' });
    expect(await failureOf(status())).toMatchObject({ failure: 'http_status', status: 500 });
  });

  it('when the server answers an HTML page, then the client reports not_json', async () => {
    t.sim.faults.set({ mode: 'html' });
    expect((await failureOf(status())).failure).toBe('not_json');
  });

  it('when the JSON is truncated, then the client reports not_json', async () => {
    t.sim.faults.set({ mode: 'truncated' });
    expect((await failureOf(status())).failure).toBe('not_json');
  });

  it('when result 0 is injected with a reason, then the client raises WhmError with it', async () => {
    t.sim.faults.set({ mode: 'result0', reason: 'Simulated outage.' });
    await expect(status()).rejects.toEqual(
      new WhmError('twofactorauth_policy_status', 'Simulated outage.'),
    );
  });

  it('when a fault names one function, then other functions are unaffected', async () => {
    t.sim.faults.set({ mode: 'html', fn: 'listaccts' });
    await expect(status()).resolves.toEqual({ is_enabled: 0 });
    expect((await failureOf(quick().call('listaccts', {}))).failure).toBe('not_json');
  });

  it('when a function fault and a * fault both exist, then the function’s own wins', async () => {
    t.sim.faults.set({ mode: 'html' });
    t.sim.faults.set({ mode: 'result0', fn: 'twofactorauth_policy_status', reason: 'Own.' });
    await expect(status()).rejects.toBeInstanceOf(WhmError);
    expect((await failureOf(quick().call('twofactorauth_get_issuer', {}))).failure).toBe(
      'not_json',
    );
  });

  it('when a fault has times, then it clears itself after that many calls', async () => {
    t.sim.faults.set({ mode: 'status', status: 502, times: 2 });
    expect((await failureOf(status())).status).toBe(502);
    expect((await failureOf(status())).status).toBe(502);
    await expect(status()).resolves.toEqual({ is_enabled: 0 });
  });

  it('when faults are cleared, then calls succeed again', async () => {
    t.sim.faults.set({ mode: 'reset' });
    t.sim.faults.clear();
    await expect(status()).resolves.toEqual({ is_enabled: 0 });
  });

  it('when a fault spec is invalid, then set refuses it', () => {
    expect(() => t.sim.faults.set({ mode: 'status', status: 42 })).toThrow(/invalid fault/);
    expect(() => t.sim.faults.set({ mode: 'nope' as 'html' })).toThrow(/invalid fault/);
  });

  it('when the server hangs, then the next call on the server still succeeds', async () => {
    t.sim.faults.set({ mode: 'hang', times: 1 });
    expect((await failureOf(status())).failure).toBe('timeout');
    await expect(status()).resolves.toEqual({ is_enabled: 0 });
  });
});

describe('call counting', () => {
  it('when functions are called, then each one’s count and the total follow, faulted calls included', async () => {
    await t.root.call('twofactorauth_policy_status', {});
    await t.root.call('twofactorauth_policy_status', {});
    await t.root.call('listaccts', {});
    t.sim.faults.set({ mode: 'html', times: 1 });
    await failureOf(quick().call('twofactorauth_get_issuer', {}));
    expect(t.sim.calls.count('twofactorauth_policy_status')).toBe(2);
    expect(t.sim.calls.count('listaccts')).toBe(1);
    expect(t.sim.calls.count('twofactorauth_get_issuer')).toBe(1);
    expect(t.sim.calls.count('twofactorauth_set_issuer')).toBe(0);
    expect(t.sim.calls.count()).toBe(4);
    t.sim.calls.reset();
    expect(t.sim.calls.count()).toBe(0);
  });
});

describe('global latency', () => {
  it('when latencyMs is set, then every answer is delayed by it', async () => {
    const slow = await startTestSimulator({ latencyMs: 120 });
    try {
      const started = performance.now();
      await slow.root.call('twofactorauth_get_issuer', {});
      expect(performance.now() - started).toBeGreaterThanOrEqual(110);
    } finally {
      await slow.sim.close();
    }
  });
});

describe('--fault flags', () => {
  it.each([
    ['listaccts:hang', { fn: 'listaccts', mode: 'hang' }],
    ['*:latency:250', { fn: '*', mode: 'latency', ms: 250 }],
    [':status:503', { fn: '*', mode: 'status', status: 503 }],
    [
      'listaccts:result0:Down: for maintenance',
      { fn: 'listaccts', mode: 'result0', reason: 'Down: for maintenance' },
    ],
  ])('when the flag is %s, then the fault is %o', (flag, spec) => {
    expect(parseFaultFlag(flag)).toEqual(spec);
  });

  it.each([
    'listaccts',
    'listaccts:explode',
    'listaccts:latency:soon',
    'listaccts:hang:5',
    'x:status:99',
  ])('when the flag is %s, then it is refused with a message naming --fault', (flag) => {
    expect(() => parseFaultFlag(flag)).toThrow(/fault/);
  });
});
