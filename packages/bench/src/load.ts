import autocannon from 'autocannon';

export interface LoadTarget {
  label: string;
  url: string;
  headers: Record<string, string>;
}

/** One origin, several paths: each connection cycles through them. */
export interface MixedLoadTarget extends LoadTarget {
  paths: string[];
}

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  /** NaN when nothing completed (so no budget can pass on it). */
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
  /** Rounds in which not one request completed. */
  emptyRounds: number;
}

function resultOf(label: string, result: autocannon.Result): LoadResult {
  const total = result.requests.total;
  return {
    label,
    requestsPerSecond: result.requests.average,
    p50: total > 0 ? result.latency.p50 : Number.NaN,
    p99: total > 0 ? result.latency.p99 : Number.NaN,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total,
    emptyRounds: total > 0 ? 0 : 1,
  };
}

export function runLoad(
  target: LoadTarget,
  duration: { connections: number; seconds: number },
): Promise<LoadResult> {
  return runMixedLoad({ ...target, paths: [] }, duration);
}

/** Load cycling through `paths` on the target's origin; with none, the target's URL itself. */
export async function runMixedLoad(
  target: MixedLoadTarget,
  { connections, seconds }: { connections: number; seconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections,
    duration: seconds,
    timeout: 10,
    ...(target.paths.length > 0
      ? { requests: target.paths.map((path) => ({ method: 'GET', path })) }
      : {}),
  });
  return resultOf(target.label, result);
}

/** The median of alternating rounds, so a noisy moment on the machine does not pick a winner. */
export function median(results: LoadResult[]): LoadResult {
  const pick = (values: number[]) => {
    const finite = values.filter((value) => Number.isFinite(value)).sort((a, b) => a - b);
    if (finite.length < values.length / 2) return Number.NaN;
    // Rounds that completed nothing count as the worst.
    const sorted = [...finite, ...values.filter((value) => !Number.isFinite(value))];
    return sorted[Math.floor(sorted.length / 2)] ?? Number.NaN;
  };
  const first = results[0];
  if (!first) throw new Error('no rounds');
  return {
    label: first.label,
    requestsPerSecond: pick(results.map((r) => r.requestsPerSecond)),
    p50: pick(results.map((r) => r.p50)),
    p99: pick(results.map((r) => r.p99)),
    errors: results.reduce((sum, r) => sum + r.errors, 0),
    non2xx: results.reduce((sum, r) => sum + r.non2xx, 0),
    total: results.reduce((sum, r) => sum + r.total, 0),
    emptyRounds: results.reduce((sum, r) => sum + r.emptyRounds, 0),
  };
}
