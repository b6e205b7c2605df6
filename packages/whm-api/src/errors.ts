/** WHM answered `result: 0`: the call reached WHM and WHM refused it. */
export class WhmError extends Error {
  override readonly name = 'WhmError';
  constructor(
    readonly command: string,
    readonly reason: string,
  ) {
    super(`${command}: ${reason}`);
  }
}

export type WhmTransportFailure =
  | 'timeout'
  | 'network'
  | 'unauthorized'
  | 'forbidden'
  | 'http_status'
  | 'not_json'
  | 'bad_envelope'
  | 'contract';

/** The call did not produce a WHM answer we can trust: no connection, a timeout, HTML, a bad shape. */
export class WhmTransportError extends Error {
  override readonly name = 'WhmTransportError';
  constructor(
    readonly command: string,
    readonly failure: WhmTransportFailure,
    message: string,
    readonly status?: number,
    options?: { cause?: unknown },
  ) {
    super(`${command}: ${message}`, options);
  }
}
