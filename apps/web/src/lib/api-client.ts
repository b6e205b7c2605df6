/** The one way the SPA talks to the BFF: same origin, JSON, `X-CSRF: 1`, typed errors. */

export const SESSION_LOST_CODES: readonly string[] = ['unauthenticated', 'session_expired'];
export const UPSTREAM_DOWN_CODES: readonly string[] = ['upstream_unavailable', 'upstream_timeout'];

export class ApiError extends Error {
  readonly status: number;
  readonly code: string;
  readonly field: string | undefined;
  readonly requestId: string | undefined;

  constructor(init: {
    status: number;
    code: string;
    message: string;
    field?: string | undefined;
    requestId?: string | undefined;
  }) {
    super(init.message);
    this.name = 'ApiError';
    this.status = init.status;
    this.code = init.code;
    this.field = init.field;
    this.requestId = init.requestId;
  }
}

export function isApiError(error: unknown, ...codes: string[]): error is ApiError {
  return error instanceof ApiError && (codes.length === 0 || codes.includes(error.code));
}

export type QueryParams = Record<string, string | number | boolean | null | undefined>;

export interface RequestOptions {
  method?: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  query?: QueryParams;
  body?: unknown;
  signal?: AbortSignal | undefined;
}

export function withQuery(path: string, query: QueryParams | undefined): string {
  if (!query) return path;
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(query)) {
    if (value !== undefined && value !== null && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `${path}?${text}` : path;
}

async function send(path: string, options: RequestOptions, accept: string): Promise<Response> {
  const headers: Record<string, string> = { 'X-CSRF': '1', Accept: accept };
  const init: RequestInit = {
    method: options.method ?? 'GET',
    headers,
    credentials: 'same-origin',
    signal: options.signal ?? null,
  };
  // The BFF refuses any write that is not JSON, even one without parameters (CSRF defence).
  if (init.method !== 'GET') {
    headers['Content-Type'] = 'application/json';
    init.body = JSON.stringify(options.body ?? {});
  }
  let response: Response;
  try {
    response = await fetch(withQuery(path, options.query), init);
  } catch (cause) {
    if (cause instanceof DOMException && cause.name === 'AbortError') throw cause;
    throw new ApiError({
      status: 0,
      code: 'network_error',
      message: 'The console server could not be reached. Check your connection.',
    });
  }
  if (!response.ok) throw await toApiError(response);
  return response;
}

async function toApiError(response: Response): Promise<ApiError> {
  let body: unknown = null;
  try {
    body = await response.json();
  } catch {
    // Not JSON (a proxy's HTML page, say): fall back to the status line.
  }
  if (body && typeof body === 'object' && 'code' in body && typeof body.code === 'string') {
    const record = body as Record<string, unknown>;
    return new ApiError({
      status: response.status,
      code: body.code,
      message:
        typeof record.message === 'string' ? record.message : `Request failed (${response.status})`,
      field: typeof record.field === 'string' ? record.field : undefined,
      requestId: typeof record.requestId === 'string' ? record.requestId : undefined,
    });
  }
  return new ApiError({
    status: response.status,
    code: 'http_error',
    message: `The console server answered ${response.status} ${response.statusText}`.trim(),
  });
}

/** JSON in, JSON out; `undefined` for 204. */
export async function api<T>(path: string, options: RequestOptions = {}): Promise<T> {
  const response = await send(path, options, 'application/json');
  if (response.status === 204) return undefined as T;
  const text = await response.text();
  return (text ? JSON.parse(text) : undefined) as T;
}

/** For text answers such as the audit CSV. */
export async function apiText(path: string, options: RequestOptions = {}): Promise<string> {
  const response = await send(path, options, 'text/csv, text/plain');
  return response.text();
}

/**
 * A write whose answer is a stream of JSON lines (the fleet's changes): each line is handed to
 * `onLine` as it arrives, so progress shows while the rest runs.
 */
export async function apiLines<T>(
  path: string,
  options: RequestOptions,
  onLine: (line: T) => void,
): Promise<void> {
  const response = await send(path, options, 'application/x-ndjson');
  const reader = response.body?.getReader();
  if (!reader) {
    for (const line of (await response.text()).split('\n')) if (line) onLine(JSON.parse(line) as T);
    return;
  }
  const decoder = new TextDecoder();
  let buffered = '';
  for (;;) {
    const { value, done } = await reader.read();
    buffered += decoder.decode(value, { stream: !done });
    let newline = buffered.indexOf('\n');
    while (newline !== -1) {
      const line = buffered.slice(0, newline);
      buffered = buffered.slice(newline + 1);
      if (line) onLine(JSON.parse(line) as T);
      newline = buffered.indexOf('\n');
    }
    if (done) break;
  }
  if (buffered.trim()) onLine(JSON.parse(buffered) as T);
}
