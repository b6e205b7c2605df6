import type { CDPSession, Page } from 'playwright-core';

/** The throttled link: 10 Mbit/s each way, 50 ms round trip (Chromium's emulation). */
export const THROTTLED_LINK = {
  offline: false,
  latency: 50,
  downloadThroughput: 1_250_000,
  uploadThroughput: 1_250_000,
} as const;

export interface WireBytes {
  /** What the browser received for /api answers, headers included (CDP's encodedDataLength). */
  apiBytes: number;
  /** The same for everything else: the page and the SPA's assets. */
  assetBytes: number;
  /** Each response, for the log: path, Content-Encoding, bytes, when it finished (ms from the first request). */
  responses: { path: string; encoding: string; bytes: number; finishedMs: number }[];
}

/**
 * Counts the bytes on the wire of every request the page makes while `load` runs, from the
 * DevTools protocol's `Network.loadingFinished` (encoded bytes, as the browser received them).
 * Requests sent before (a previous page's stragglers) do not count.
 */
export async function countWireBytes(
  cdp: CDPSession,
  load: () => Promise<void>,
): Promise<WireBytes> {
  const sent = new Map<string, number>();
  const seen = new Map<string, { path: string; encoding: string }>();
  const finished: { requestId: string; bytes: number; at: number }[] = [];
  const onRequest = (event: { requestId: string; timestamp: number }) => {
    if (!sent.has(event.requestId)) sent.set(event.requestId, event.timestamp);
  };
  const onResponse = (event: {
    requestId: string;
    response: { url: string; headers: Record<string, string> };
  }) => {
    const url = new URL(event.response.url);
    const encoding = Object.entries(event.response.headers).find(
      ([name]) => name.toLowerCase() === 'content-encoding',
    )?.[1];
    seen.set(event.requestId, { path: url.pathname, encoding: encoding ?? 'identity' });
  };
  const onFinished = (event: {
    requestId: string;
    encodedDataLength: number;
    timestamp: number;
  }) => {
    finished.push({
      requestId: event.requestId,
      bytes: event.encodedDataLength,
      at: event.timestamp,
    });
  };
  cdp.on('Network.requestWillBeSent', onRequest);
  cdp.on('Network.responseReceived', onResponse);
  cdp.on('Network.loadingFinished', onFinished);
  try {
    await load();
  } finally {
    cdp.off('Network.requestWillBeSent', onRequest);
    cdp.off('Network.responseReceived', onResponse);
    cdp.off('Network.loadingFinished', onFinished);
  }
  // CDP's timestamps are seconds on one monotonic clock.
  const start = Math.min(...sent.values());
  const responses = finished.flatMap(({ requestId, bytes, at }) => {
    const response = seen.get(requestId);
    if (!response || !sent.has(requestId)) return [];
    return [{ ...response, bytes, finishedMs: (at - start) * 1000 }];
  });
  const sum = (list: typeof responses) => list.reduce((total, r) => total + r.bytes, 0);
  return {
    apiBytes: sum(responses.filter((r) => r.path.startsWith('/api/'))),
    assetBytes: sum(responses.filter((r) => !r.path.startsWith('/api/'))),
    responses,
  };
}

/**
 * A navigation over the throttled link with a cold cache (the HTTP cache cleared and bypassed,
 * as DevTools' "Disable cache" does): `load` runs with the link throttled, then it is lifted.
 */
export async function overThrottledLink<T>(page: Page, load: (cdp: CDPSession) => Promise<T>) {
  const cdp = await page.context().newCDPSession(page);
  try {
    await cdp.send('Network.enable');
    await cdp.send('Network.clearBrowserCache');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    await cdp.send('Network.emulateNetworkConditions', THROTTLED_LINK);
    return await load(cdp);
  } finally {
    await cdp.send('Network.emulateNetworkConditions', {
      offline: false,
      latency: 0,
      downloadThroughput: -1,
      uploadThroughput: -1,
    });
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    await cdp.detach();
  }
}
