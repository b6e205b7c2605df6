import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/** SECURITY.md 22: helmet, tightened. */
export const securityHeaders = helmet({
  contentSecurityPolicy: {
    useDefaults: false,
    directives: {
      defaultSrc: ["'self'"],
      baseUri: ["'none'"],
      objectSrc: ["'none'"],
      frameAncestors: ["'none'"],
      formAction: ["'self'"],
      imgSrc: ["'self'", 'data:'],
      scriptSrc: ["'self'"],
      styleSrc: ["'self'"],
    },
  },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginEmbedderPolicy: false,
});

/**
 * The headers `securityHeaders` sets, recorded once: they do not depend on the request (no
 * nonces), so the hot read path sets the same ones without running helmet per request.
 */
export function recordSecurityHeaders(): ReadonlyMap<string, string> {
  const headers = new Map<string, string>();
  const recorder = {
    setHeader(name: string, value: string | number | readonly string[]) {
      headers.set(name.toLowerCase(), String(value));
    },
    removeHeader(name: string) {
      headers.delete(name.toLowerCase());
    },
  };
  let done = false;
  securityHeaders(
    {} as IncomingMessage,
    recorder as unknown as ServerResponse,
    (error?: unknown) => {
      if (error) throw error instanceof Error ? error : new Error('helmet failed');
      done = true;
    },
  );
  // helmet is synchronous today; if it ever is not, the copy would be incomplete.
  if (!done) throw new Error('helmet did not finish synchronously');
  return headers;
}
