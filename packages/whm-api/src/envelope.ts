import { z } from 'zod';
import { catalogue, type DataOf, type WhmFunctionName, type WhmFunctionSpec } from './catalogue.js';
import { WhmError, WhmTransportError } from './errors.js';
import { flag } from './flags.js';
import { reasonMatches } from './rules.js';

export const metadata = z.object({
  command: z.string().optional(),
  reason: z.string().optional(),
  result: flag,
  version: z.union([z.number(), z.string()]).optional(),
  /**
   * `api.chunk.verbose=1`: `records` is the total before paging. A start past the end gives page 1
   * again, so a pager stops when it has `records` rows (`lastChunk`), never on an empty page.
   */
  chunk: z
    .object({
      start: z.number(),
      size: z.number(),
      records: z.number(),
      current: z.number(),
      chunks: z.number(),
    })
    .optional(),
  output: z
    .object({
      warnings: z.array(z.string()).optional(),
      messages: z.array(z.string()).optional(),
    })
    .optional(),
});
export type Metadata = z.output<typeof metadata>;

export const envelope = z.object({ metadata, data: z.unknown().optional() });

export interface WhmAnswer<F extends WhmFunctionName> {
  metadata: Metadata;
  data: DataOf<F>;
}

/**
 * Checks one WHM answer against the contract. `result: 0` throws `WhmError` with WHM's reason,
 * except a function's "nothing matched" reason (listaccts' `No accounts found.`), which reads as
 * `result: 1` with the function's empty data;
 * anything that is not a well-formed envelope or whose `data` breaks the contract throws
 * `WhmTransportError`. Fields the contract does not list are dropped from `data`. `params` are
 * those the call was made with, where they narrow the contract (listaccts' `want`).
 */
export function parseEnvelope<F extends WhmFunctionName>(
  name: F,
  body: unknown,
  params: Readonly<Record<string, unknown>> = {},
): WhmAnswer<F> {
  const answer: WhmFunctionSpec['answer'] = catalogue[name].answer;
  if (answer === 'bridge') return parseBridgeAnswer(name, body);
  const outer = envelope.safeParse(body);
  if (!outer.success) {
    throw new WhmTransportError(name, 'bad_envelope', 'the answer is not a WHM API 1 envelope');
  }
  const { metadata: meta } = outer.data;
  const spec: WhmFunctionSpec = catalogue[name];
  const nothingFound =
    meta.result === 0 &&
    spec.emptyData !== undefined &&
    spec.noMatchReason !== undefined &&
    reasonMatches(meta.reason, spec.noMatchReason);
  if (meta.result === 0 && !nothingFound) {
    throw new WhmError(name, meta.reason ?? 'WHM gave no reason');
  }
  if (spec.data === null) return { metadata: meta, data: undefined as DataOf<F> };
  // "Nothing found" is an answer, not a failure: it reads as success, WHM's reason kept.
  const metadataRead = nothingFound ? { ...meta, result: 1 as const } : meta;
  const raw =
    (outer.data.data === undefined || nothingFound) && spec.emptyData
      ? spec.emptyData()
      : outer.data.data;
  const data = (spec.dataFor?.(params) ?? spec.data).safeParse(raw);
  if (!data.success) {
    const issue = data.error.issues[0];
    throw new WhmTransportError(
      name,
      'contract',
      `data breaks the contract at ${issue?.path.join('.') || '(root)'}: ${issue?.message ?? ''}`,
    );
  }
  return { metadata: metadataRead, data: data.data as DataOf<F> };
}

/** Whether the page WHM answered is the last one, by its chunk metadata (not by an empty page). */
export function lastChunk(chunk: NonNullable<Metadata['chunk']>): boolean {
  return chunk.records === 0 || chunk.start + chunk.size > chunk.records;
}

/** The `cpanel` bridge's refusal (reference/WHM-2FA.md, "The older bridge"). */
export const bridgeFailure = z.object({
  data: z.object({ reason: z.string(), result: z.union([z.literal('0'), z.literal(0)]) }),
  type: z.string(),
  error: z.string(),
});

/**
 * The bridge has no WHM metadata: an answer with `result` ran (its `status` says whether UAPI
 * succeeded), one with `error` was refused. The metadata returned is made up so callers see one shape.
 */
function parseBridgeAnswer<F extends WhmFunctionName>(name: F, body: unknown): WhmAnswer<F> {
  const refused = bridgeFailure.safeParse(body);
  if (refused.success) throw new WhmError(name, refused.data.error);
  const spec: WhmFunctionSpec = catalogue[name];
  const data = spec.data?.safeParse(body);
  if (!data?.success) {
    throw new WhmTransportError(name, 'bad_envelope', 'the answer is not a cpanel bridge answer');
  }
  return { metadata: { command: name, reason: 'OK', result: 1 }, data: data.data as DataOf<F> };
}

/** What the `cpanel` bridge sends for a UAPI call that ran. */
export function bridgeSuccessAnswer(
  module: string,
  func: string,
  result: unknown,
): Record<string, unknown> {
  return { module, func, apiversion: 3, result };
}

/** What the `cpanel` bridge sends when it cannot run the call, e.g. the account is not usable. */
export function bridgeFailureAnswer(reason: string): Record<string, unknown> {
  return { data: { reason, result: '0' }, type: 'text', error: reason };
}

/** The envelope WHM sends: success with optional data, or failure with a reason. */
export function successEnvelope(command: string, data?: unknown): Record<string, unknown> {
  const body: Record<string, unknown> = {
    metadata: { command, reason: 'OK', result: 1, version: 1 },
  };
  if (data !== undefined) body.data = data;
  return body;
}

export function failureEnvelope(command: string, reason: string): Record<string, unknown> {
  return { metadata: { command, reason, result: 0, version: 1 } };
}
