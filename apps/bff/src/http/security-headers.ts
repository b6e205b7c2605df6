import type { IncomingMessage, ServerResponse } from 'node:http';
import helmet from 'helmet';

/**
 * Browser features the console never uses, denied to it and to anything it could be made to load.
 * A constant header: no library needed.
 */
export const PERMISSIONS_POLICY = [
  'accelerometer=()',
  'autoplay=()',
  'camera=()',
  'display-capture=()',
  'geolocation=()',
  'gyroscope=()',
  'hid=()',
  'magnetometer=()',
  'microphone=()',
  'midi=()',
  'payment=()',
  'publickey-credentials-get=()',
  'screen-wake-lock=()',
  'serial=()',
  'usb=()',
  'xr-spatial-tracking=()',
].join(', ');

export const HSTS = 'max-age=31536000; includeSubDomains';

/**
 * SECURITY.md 22: helmet, tightened. HSTS is left out here: it is sent only over TLS
 * (`strictTransportSecurity`), since over plain http browsers ignore it and a proxy that
 * terminates TLS says so in X-Forwarded-Proto.
 */
const helmetHeaders = helmet({
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
  // The CSP says frame-ancestors 'none'; older browsers read only this one.
  frameguard: { action: 'deny' },
  referrerPolicy: { policy: 'no-referrer' },
  crossOriginEmbedderPolicy: false,
  strictTransportSecurity: false,
});

/** The headers that do not depend on the request. */
function staticSecurityHeaders(
  req: IncomingMessage,
  res: ServerResponse,
  next: (error?: unknown) => void,
): void {
  res.setHeader('permissions-policy', PERMISSIONS_POLICY);
  helmetHeaders(req, res, next);
}

/**
 * Whether the browser's request came over TLS: directly, or per a trusted proxy's
 * X-Forwarded-Proto (its first value, as Express's `req.protocol` reads it).
 */
export function overTls(req: IncomingMessage, trustProxyHops: number): boolean {
  if ((req.socket as { encrypted?: boolean }).encrypted) return true;
  if (trustProxyHops === 0) return false;
  const proto = req.headers['x-forwarded-proto'];
  if (typeof proto !== 'string') return false;
  return proto.split(',')[0]!.trim().toLowerCase() === 'https';
}

/** Every security header, HSTS only over TLS. */
export function securityHeaders(trustProxyHops: number) {
  return (req: IncomingMessage, res: ServerResponse, next: (error?: unknown) => void): void => {
    if (overTls(req, trustProxyHops)) res.setHeader('strict-transport-security', HSTS);
    staticSecurityHeaders(req, res, next);
  };
}

/**
 * The headers `staticSecurityHeaders` sets, recorded once: they do not depend on the request (no
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
  staticSecurityHeaders(
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
