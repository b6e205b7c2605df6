import autocannon from 'autocannon';

export interface LoadTarget {
  label: string;
  url: string;
  headers: Record<string, string>;
}

export interface LoadResult {
  label: string;
  requestsPerSecond: number;
  p50: number;
  p99: number;
  errors: number;
  non2xx: number;
  total: number;
}

export async function runLoad(
  target: LoadTarget,
  { connections, seconds }: { connections: number; seconds: number },
): Promise<LoadResult> {
  const result = await autocannon({
    url: target.url,
    headers: target.headers,
    connections,
    duration: seconds,
    timeout: 10,
  });
  return {
    label: target.label,
    requestsPerSecond: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    errors: result.errors + result.timeouts,
    non2xx: result.non2xx,
    total: result.requests.total,
  };
}

/** The median of alternating rounds, so a noisy moment on the machine does not pick a winner. */
export function median(results: LoadResult[]): LoadResult {
  const pick = (values: number[]) => {
    const sorted = [...values].sort((a, b) => a - b);
    return sorted[Math.floor(sorted.length / 2)] ?? 0;
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
  };
}
