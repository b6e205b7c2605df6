import type { WhmFunctionName } from '@console/whm-api';
import { answerOf, interpretAnswer, toAppError } from './answers.js';
import type { PreparedCall, ProxyTransport } from './upstream.js';
import { signal, signals } from '../metrics/signals.js';
import type { Validated } from './validation.js';

/**
 * A read's answer, contract-checked and serialized once: every caller that shared the upstream
 * call gets the same bytes (DESIGN.md: identical reads in flight share one call).
 */
export class SerializedAnswer {
  private encodings: Partial<Record<string, Promise<Buffer>>> | undefined;
  constructor(readonly body: Buffer) {}

  /** The body in one content coding, made once and shared by every caller (ADR 013). */
  encoded<E extends string>(encoding: E, encode: (body: Buffer, encoding: E) => Promise<Buffer>) {
    this.encodings ??= {};
    return (this.encodings[encoding] ??= encode(this.body, encoding));
  }
}

/** Callers answered per turn of the event loop when a shared read completes. */
const FAN_OUT_BATCH = 2;

/**
 * Callers one upstream call of a small answer may serve; the next one starts another call, which
 * later callers join.
 * Unbounded, every caller falls into step behind one call — answered together, asking again
 * together, all waiting a whole call. Bounded, calls overlap and a caller mostly joins one already
 * on its way (measured at 20 ms: 0.93× direct unbounded, 1.1× at 16; ADR 006).
 */
export const SHARED_READ_MAX_CALLERS = 16;

/**
 * A read whose last answer was this big is shared by every caller in flight, unbounded: its parse,
 * check and serialization cost milliseconds and megabytes per call, which one call for all saves.
 */
export const BIG_ANSWER_BYTES = 64 * 1024;
const BIG_ANSWERS_KEPT = 10_000;

/**
 * One read in flight and the callers waiting on it. They are answered a few per turn of the event
 * loop: answering fifty at once would hold back the requests that arrive meanwhile, among them the
 * one that starts the next upstream call, and every caller would wait for that pause too.
 */
class SharedRead {
  private readonly waiters: {
    resolve(answer: SerializedAnswer): void;
    reject(error: unknown): void;
  }[] = [];

  constructor(answer: Promise<SerializedAnswer>, settled: () => void) {
    answer.then(
      (value) => {
        settled();
        this.fanOut((waiter) => waiter.resolve(value));
      },
      (error: unknown) => {
        settled();
        this.fanOut((waiter) => waiter.reject(error));
      },
    );
  }

  get full(): boolean {
    return this.waiters.length >= SHARED_READ_MAX_CALLERS;
  }

  join(): Promise<SerializedAnswer> {
    return new Promise((resolve, reject) => this.waiters.push({ resolve, reject }));
  }

  private fanOut(settle: (waiter: (typeof this.waiters)[number]) => void): void {
    let next = 0;
    const turn = () => {
      const end = Math.min(this.waiters.length, next + FAN_OUT_BATCH);
      while (next < end) settle(this.waiters[next++]!);
      if (next < this.waiters.length) setImmediate(turn);
    };
    turn();
  }
}

/** Identical reads in flight share a call: SHARED_READ_MAX_CALLERS each, all for a big answer. */
export class SharedReads {
  /** Reads in flight, by server and upstream path: one upstream call, one check, one serialization. */
  private readonly readsInFlight = new Map<string, SharedRead>();
  /** Reads (by the same key) whose last answer was at least BIG_ANSWER_BYTES. */
  private readonly bigAnswers = new Set<string>();

  /**
   * Reads are shared only after each caller passed its own checks (session, CSRF, role, params):
   * the answer of a read depends on the server, function and params alone, never on the caller.
   */
  read(validated: Validated, transport: ProxyTransport): Promise<SerializedAnswer> {
    const call = validated.call;
    const key = `${validated.upstream.server.id}\n${call.path}`;
    const current = this.readsInFlight.get(key);
    if (current && (!current.full || this.bigAnswers.has(key))) {
      signal(signals.sharedReadJoin, () => ({ server: validated.upstream.server.id, fn: call.fn }));
      return current.join();
    }
    const answer = this.readOnce(validated, call, transport).then((serialized) => {
      if (serialized.body.length < BIG_ANSWER_BYTES) this.bigAnswers.delete(key);
      else {
        if (this.bigAnswers.size >= BIG_ANSWERS_KEPT) this.bigAnswers.clear();
        this.bigAnswers.add(key);
      }
      return serialized;
    });
    const shared: SharedRead = new SharedRead(answer, () => {
      if (this.readsInFlight.get(key) === shared) this.readsInFlight.delete(key);
    });
    this.readsInFlight.set(key, shared);
    return shared.join();
  }

  private async readOnce(
    validated: Validated,
    call: PreparedCall,
    transport: ProxyTransport,
  ): Promise<SerializedAnswer> {
    const fn = validated.access.name;
    const raw = await transport(validated.upstream, call).catch(toAppError);
    const answer = this.interpret(fn, raw, validated.params);
    return new SerializedAnswer(Buffer.from(JSON.stringify(answerOf(fn, answer))));
  }

  private interpret(
    fn: WhmFunctionName,
    raw: Parameters<typeof interpretAnswer>[1],
    params: Record<string, unknown>,
  ) {
    try {
      return interpretAnswer(fn, raw, params);
    } catch (error) {
      return toAppError(error);
    }
  }
}
