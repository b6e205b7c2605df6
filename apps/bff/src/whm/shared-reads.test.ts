import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WhmError } from '@console/whm-api';
import { startTestConsole, type TestConsole } from '../testing/harness.js';
import type { Actor } from '../sessions/session-service.js';
import type { RawAnswer } from './upstream.js';
import {
  BIG_ANSWER_BYTES,
  SHARED_READ_MAX_CALLERS,
  type SerializedAnswer,
} from './shared-reads.js';
import type { WhmCallRequest } from './validation.js';

// WhmService with a transport of the test's, so the moment the one upstream answer arrives is ours.
let t: TestConsole;
let actor: Actor;
beforeAll(async () => {
  t = await startTestConsole();
  const viewer = await t.login('viewer');
  actor = await t.running.services.sessions.resolve(viewer.cookie!.split('=')[1], {
    sourceIp: '127.0.0.1',
    requestId: 'test',
  });
});
afterAll(async () => {
  await t.close();
});

const policyStatus: WhmCallRequest = {
  server: 'local',
  fn: 'twofactorauth_policy_status',
  method: 'GET',
  rawQuery: '',
  body: undefined,
  hasRequestBody: false,
};

function answerOf(body: unknown): RawAnswer {
  return { status: 200, headers: {}, body: Buffer.from(JSON.stringify(body)) };
}

/** A transport whose single upstream answer the test releases; counts the calls it was asked for. */
function heldTransport() {
  let release: (answer: RawAnswer) => void = () => {};
  const held = new Promise<RawAnswer>((resolve) => (release = resolve));
  const transport = { calls: 0, release: (answer: RawAnswer) => release(answer) };
  return Object.assign(transport, {
    send: () => {
      transport.calls += 1;
      return held;
    },
  });
}

describe('shared reads', () => {
  it('when many callers share a read, then each upstream call answers up to its bound, a few per turn of the event loop', async () => {
    const { whm } = t.running.services;
    const upstream = heldTransport();
    const answered: number[] = [];
    const calls = Array.from({ length: SHARED_READ_MAX_CALLERS + 8 }, (_, index) =>
      whm.call(actor, policyStatus, upstream.send).then((answer) => {
        answered.push(index);
        return answer;
      }),
    );
    await new Promise((resolve) => setImmediate(resolve));
    // One call for the first SHARED_READ_MAX_CALLERS callers, a second for the other eight.
    expect(upstream.calls).toBe(2);
    expect(answered).toEqual([]);

    upstream.release(
      answerOf({
        metadata: { command: 'x', reason: 'OK', result: 1, version: 1 },
        data: { is_enabled: 1 },
      }),
    );
    // One turn later, only the first few are answered: the rest wait for the next turns, so new
    // requests (and the next upstream call) are not held behind the whole fan-out.
    await new Promise((resolve) => setImmediate(resolve));
    expect(answered.length).toBeGreaterThan(0);
    expect(answered.length).toBeLessThan(calls.length);

    const answers = await Promise.all(calls);
    expect(answered).toHaveLength(calls.length);
    // Each call serialized once: its callers hold the very same bytes.
    const bodies = new Set(answers.map((answer) => (answer as SerializedAnswer).body));
    expect(bodies.size).toBe(2);
    for (const body of bodies) {
      expect(JSON.parse(body.toString())).toMatchObject({ data: { is_enabled: 1 } });
    }
  });

  it('when a shared read has completed, then a caller who comes after it starts a new upstream call', async () => {
    const { whm } = t.running.services;
    const first = heldTransport();
    const early = whm.call(actor, policyStatus, first.send);
    first.release(
      answerOf({
        metadata: { command: 'x', reason: 'OK', result: 1, version: 1 },
        data: { is_enabled: 0 },
      }),
    );
    await early;
    const second = heldTransport();
    const late = whm.call(actor, policyStatus, second.send);
    await new Promise((resolve) => setImmediate(resolve));
    expect(second.calls).toBe(1);
    second.release(
      answerOf({
        metadata: { command: 'x', reason: 'OK', result: 1, version: 1 },
        data: { is_enabled: 1 },
      }),
    );
    const answer = (await late) as SerializedAnswer;
    expect(JSON.parse(answer.body.toString())).toMatchObject({ data: { is_enabled: 1 } });
  });

  it('when the shared read fails, then every caller gets the failure', async () => {
    const { whm } = t.running.services;
    const upstream = heldTransport();
    const calls = Array.from({ length: 9 }, () =>
      whm.call(actor, policyStatus, upstream.send).then(
        () => 'answered',
        (error: unknown) => error,
      ),
    );
    await new Promise((resolve) => setImmediate(resolve));
    upstream.release(
      answerOf({ metadata: { command: 'x', reason: 'Nope', result: 0, version: 1 } }),
    );
    const outcomes = await Promise.all(calls);
    expect(upstream.calls).toBe(1);
    for (const outcome of outcomes) {
      expect(outcome).toMatchObject({ code: 'whm_refused', message: 'Nope' });
      expect(outcome).not.toBeInstanceOf(WhmError);
    }
  });

  it('when the last answer of a read was big, then every caller in flight shares one call, past the bound', async () => {
    const { whm } = t.running.services;
    const listaccts: WhmCallRequest = { ...policyStatus, fn: 'listaccts', rawQuery: 'want=user' };
    const acct = Array.from({ length: 6_000 }, (_, i) => ({
      user: `user${String(i).padStart(5, '0')}`,
    }));
    const big = answerOf({
      metadata: { command: 'listaccts', reason: 'OK', result: 1, version: 1 },
      data: { acct },
    });
    expect(big.body.length).toBeGreaterThan(BIG_ANSWER_BYTES);
    const before = heldTransport();
    const counts = async (transport: ReturnType<typeof heldTransport>) => {
      const calls = Array.from({ length: SHARED_READ_MAX_CALLERS * 2 }, () =>
        whm.call(actor, listaccts, transport.send),
      );
      await new Promise((resolve) => setImmediate(resolve));
      transport.release(big);
      await Promise.all(calls);
      return transport.calls;
    };
    // Not yet known to be big: bounded like any read.
    expect(await counts(before)).toBe(2);
    // Known big now: one call for all.
    expect(await counts(heldTransport())).toBe(1);
  });
});
