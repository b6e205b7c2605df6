import { catalogue, type ParamsOf, type WhmFunctionName } from './catalogue.js';
import { parseEnvelope, type WhmAnswer } from './envelope.js';
import { WhmTransportError } from './errors.js';
import { encodeParams, type OutputOptions } from './wire.js';

export interface WhmClientOptions {
  /** Origin of the WHM server, e.g. `https://host:2087`. */
  url: string;
  user: string;
  token: string;
  /** Per call, covering connect, headers and body. */
  timeoutMs?: number;
  /** A fetch that knows the server's CA (undici with a dispatcher), or a test double. */
  fetch?: typeof globalThis.fetch;
}

export interface CallOptions {
  output?: OutputOptions;
  signal?: AbortSignal;
}

export interface WhmClient {
  call<F extends WhmFunctionName>(
    name: F,
    params: ParamsOf<F>,
    options?: CallOptions,
  ): Promise<WhmAnswer<F>['data']>;
  callWithMetadata<F extends WhmFunctionName>(
    name: F,
    params: ParamsOf<F>,
    options?: CallOptions,
  ): Promise<WhmAnswer<F>>;
}

export function whmAuthorization(user: string, token: string): string {
  return `whm ${user}:${token}`;
}

export interface WhmRequest {
  method: 'GET' | 'POST';
  /** The URL's query string (without `?`). */
  query: string;
  contentType?: string;
  body?: string;
}

/**
 * How a call travels, as cPanel's own clients send it: reads as GET, writes as POST forms,
 * `twofactorauth_set_tfa_config_for_user` as a JSON body with the output options in the query.
 */
export function whmRequest<F extends WhmFunctionName>(
  name: F,
  params: ParamsOf<F>,
  output?: OutputOptions,
): WhmRequest {
  const spec = catalogue[name];
  const wire = encodeParams(name, params, output);
  if ('body' in spec && spec.body === 'json') {
    return {
      method: 'POST',
      query: wire.toString(),
      contentType: 'application/json',
      body: JSON.stringify((params as { config: unknown }).config),
    };
  }
  if (spec.access === 'write') {
    return {
      method: 'POST',
      query: '',
      contentType: 'application/x-www-form-urlencoded',
      body: wire.toString(),
    };
  }
  return { method: 'GET', query: wire.toString() };
}

/**
 * A typed WHM API 1 client: reads go as GET, writes as POST forms (as cPanel's own clients do),
 * `twofactorauth_set_tfa_config_for_user` as JSON. The token only ever travels in `Authorization`.
 */
export function createWhmClient(options: WhmClientOptions): WhmClient {
  const base = new URL('/json-api/', options.url);
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 10_000;

  async function callWithMetadata<F extends WhmFunctionName>(
    name: F,
    params: ParamsOf<F>,
    callOptions: CallOptions = {},
  ): Promise<WhmAnswer<F>> {
    const request = whmRequest(name, params, callOptions.output);
    const url = new URL(name, base);
    url.search = request.query;
    const headers: Record<string, string> = {
      authorization: whmAuthorization(options.user, options.token),
      accept: 'application/json',
      ...(request.contentType ? { 'content-type': request.contentType } : {}),
    };
    const { method, body } = request;
    const timeout = AbortSignal.timeout(timeoutMs);
    const signal = callOptions.signal ? AbortSignal.any([timeout, callOptions.signal]) : timeout;
    let response: Response;
    let text: string;
    try {
      response = await doFetch(url, { method, headers, body, signal, redirect: 'error' });
      text = await response.text();
    } catch (error) {
      if (timeout.aborted) {
        throw new WhmTransportError(
          name,
          'timeout',
          `no answer within ${timeoutMs} ms`,
          undefined,
          {
            cause: error,
          },
        );
      }
      throw new WhmTransportError(name, 'network', describeNetworkError(error), undefined, {
        cause: error,
      });
    }
    if (response.status === 401) {
      throw new WhmTransportError(name, 'unauthorized', 'WHM refused the credentials', 401);
    }
    if (response.status === 403) {
      throw new WhmTransportError(name, 'forbidden', 'WHM refused access', 403);
    }
    if (!response.ok) {
      throw new WhmTransportError(
        name,
        'http_status',
        `WHM answered HTTP ${response.status}`,
        response.status,
      );
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch {
      throw new WhmTransportError(
        name,
        'not_json',
        'WHM did not answer with JSON',
        response.status,
      );
    }
    return parseEnvelope(name, json, params as Record<string, unknown>);
  }

  return {
    callWithMetadata,
    async call(name, params, callOptions) {
      return (await callWithMetadata(name, params, callOptions)).data;
    },
  };
}

function describeNetworkError(error: unknown): string {
  const cause = error instanceof Error && error.cause instanceof Error ? error.cause : error;
  if (cause instanceof Error) {
    const code = (cause as NodeJS.ErrnoException).code;
    return code ? `${code}: ${cause.message}` : cause.message;
  }
  return 'the connection failed';
}
