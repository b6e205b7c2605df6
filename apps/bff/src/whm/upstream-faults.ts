import type { ClientRequest, IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';

// How a call to WHM fails: the fault, socket and TLS errors, a connection that never comes up,
// an answer cut short or too large.

export type UpstreamFaultKind = 'timeout' | 'network' | 'tls' | 'too_large';

/** The call produced no HTTP answer: refused, reset, timed out, TLS failure. */
export class UpstreamFault extends Error {
  override readonly name = 'UpstreamFault';
  /** The request had been sent in full: WHM may have acted on it. */
  delivered = false;
  constructor(
    readonly kind: UpstreamFaultKind,
    message: string,
    readonly errorCode?: string,
  ) {
    super(message);
  }
}

const TLS_CODES = new Set([
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'CERT_HAS_EXPIRED',
  'CERT_NOT_YET_VALID',
  'ERR_SSL_WRONG_VERSION_NUMBER',
  'EPROTO',
]);

/** A socket or TLS error as the fault the API reports (`tls` names what to fix). */
export function faultOf(error: unknown, label: string): UpstreamFault {
  if (error instanceof UpstreamFault) return error;
  const code = (error as NodeJS.ErrnoException | undefined)?.code;
  if (code && TLS_CODES.has(code)) {
    const why =
      code === 'ERR_TLS_CERT_ALTNAME_INVALID'
        ? 'it does not name this host'
        : /SELF_SIGNED|UNABLE_TO/.test(code)
          ? 'it is not trusted; pin it with WHM_CA_FILE'
          : 'TLS failed';
    return new UpstreamFault(
      'tls',
      `The TLS certificate of WHM server “${label}” was refused: ${why} (${code})`,
      code,
    );
  }
  return new UpstreamFault(
    'network',
    `WHM server “${label}” could not be reached (${code ?? 'connection failed'})`,
    code,
  );
}

/**
 * Calls `onTimeout` when a request's new connection is not up within `ms`; a kept-alive socket
 * is already connected. Nothing was sent on such a connection, so a write that fails here did
 * not happen.
 */
export function watchConnect(
  request: ClientRequest,
  ms: number,
  secure: boolean,
  onTimeout: () => void,
): void {
  const watch = (socket: Socket) => {
    if (!socket.connecting) return;
    const timer = setTimeout(onTimeout, ms);
    socket.once(secure ? 'secureConnect' : 'connect', () => clearTimeout(timer));
    socket.once('close', () => clearTimeout(timer));
  };
  // http-proxy hands its request over in the request's own 'socket' event.
  if (request.socket) watch(request.socket);
  else request.once('socket', watch);
}

/** Buffers an answer of at most `limit` bytes; one cut short or too large is a fault. */
export function collect(
  response: IncomingMessage,
  label: string,
  limit: number,
  done: (error: Error | null, body?: Buffer) => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  let finished = false;
  const finish = (error: Error | null, body?: Buffer) => {
    if (finished) return;
    finished = true;
    done(error, body);
  };
  response.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size > limit) {
      response.destroy();
      finish(new UpstreamFault('too_large', 'WHM answered with more data than allowed'));
      return;
    }
    chunks.push(chunk);
  });
  response.on('end', () => {
    if (!response.complete) {
      finish(new UpstreamFault('network', 'WHM closed the connection mid-answer'));
      return;
    }
    finish(null, Buffer.concat(chunks));
  });
  // 'close' follows every answer, a complete one too: the fault (an Error, with its stack) is made
  // only when nothing finished first, not once per call (it showed in profiles at 2,500 calls/s).
  const cutShort = () => {
    if (!finished) finish(new UpstreamFault('network', 'WHM closed the connection mid-answer'));
  };
  response.on('aborted', cutShort);
  response.on('error', (error) => finish(faultOf(error, label)));
  response.on('close', cutShort);
}
