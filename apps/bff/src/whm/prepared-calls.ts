import { encodeParams, type WhmAnswer, type WhmFunctionName } from '@console/whm-api';
import { interpretAnswer } from './answers.js';
import type { DirectRead } from './ordinary-targets.js';
import type { PreparedCall, WhmUpstream } from './upstream.js';
import type { Validated } from './validation.js';

/** The upstream request, built by the BFF from the validated params alone. */
export function prepare(
  access: { name: WhmFunctionName; method: 'GET' | 'POST' },
  { params, output }: Pick<Validated, 'params' | 'output'>,
): PreparedCall {
  const wire = encodeParams(access.name, params as never, output);
  const write = access.method === 'POST';
  return {
    fn: access.name,
    method: access.method,
    path: `/json-api/${access.name}${write ? '' : `?${wire.toString()}`}`,
    ...(write ? { body: wire.toString() } : {}),
    idempotent: !write,
  };
}

/** The BFF's own reads (prior state, owners, re-read after a timeout), contract-checked. */
export const directRead: DirectRead = async <F extends WhmFunctionName>(
  upstream: WhmUpstream,
  fn: F,
  params: Record<string, string>,
): Promise<WhmAnswer<F>> => {
  const wire = encodeParams(fn, params as never);
  const raw = await upstream.direct({
    fn,
    method: 'GET',
    path: `/json-api/${fn}?${wire.toString()}`,
    idempotent: true,
  });
  return interpretAnswer(fn, raw, params);
};
