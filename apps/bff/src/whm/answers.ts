import {
  parseEnvelope,
  WhmError,
  WhmTransportError,
  type Metadata,
  type WhmAnswer,
  type WhmFunctionName,
} from '@console/whm-api';
import { AppError } from '../errors.js';
import type { RemovalResult } from './removal.js';
import type { RawAnswer } from './upstream.js';
import { UpstreamFault } from './upstream-faults.js';

/** What the browser gets for a WHM call: WHM's data and metadata, nothing else of its answer. */
export interface WhmResponse {
  data?: unknown;
  metadata: { command: string; reason: string; result: 0 | 1 };
  results?: RemovalResult[];
}

/**
 * Turns a buffered upstream answer into a contract-checked WHM answer, or throws:
 * `WhmError` for `result: 0`, `WhmTransportError` for anything that is not a trustworthy envelope.
 * `params` are the call's, where they narrow the contract (listaccts' `want`).
 */
export function interpretAnswer<F extends WhmFunctionName>(
  fn: F,
  raw: RawAnswer,
  params?: Readonly<Record<string, unknown>>,
): WhmAnswer<F> {
  if (raw.status >= 300 && raw.status < 400) {
    throw new WhmTransportError(
      fn,
      'http_status',
      `WHM redirected (HTTP ${raw.status})`,
      raw.status,
    );
  }
  if (raw.status === 401 || raw.status === 403) {
    throw new WhmTransportError(
      fn,
      'unauthorized',
      "WHM refused the console's API token",
      raw.status,
    );
  }
  if (raw.status < 200 || raw.status >= 300) {
    throw new WhmTransportError(fn, 'http_status', `WHM answered HTTP ${raw.status}`, raw.status);
  }
  let json: unknown;
  try {
    json = JSON.parse(raw.body.toString('utf8'));
  } catch {
    throw new WhmTransportError(fn, 'not_json', 'WHM did not answer with JSON', raw.status);
  }
  return parseEnvelope(fn, json, params);
}

function metadataOf(fn: string, metadata: Metadata): WhmResponse['metadata'] {
  return {
    command: metadata.command ?? fn,
    reason: metadata.reason ?? 'OK',
    result: metadata.result,
  };
}

export function answerOf(fn: WhmFunctionName, answer: WhmAnswer<WhmFunctionName>): WhmResponse {
  const response: WhmResponse = { metadata: metadataOf(fn, answer.metadata) };
  if (answer.data !== undefined) response.data = answer.data;
  return response;
}

/** Maps WHM and transport failures to the API's codes; never leaks more than WHM's reason. */
export function toAppError(error: unknown): never {
  if (error instanceof AppError) throw error;
  if (error instanceof WhmError) {
    throw new AppError('whm_refused', error.reason, { logInfo: { command: error.command } });
  }
  if (error instanceof UpstreamFault) {
    if (error.kind === 'timeout') {
      throw new AppError('upstream_timeout', 'WHM did not answer in time.', {
        logInfo: { fault: error.message },
      });
    }
    throw new AppError('upstream_unavailable', error.message, {
      logInfo: { fault: error.kind, errorCode: error.errorCode },
    });
  }
  if (error instanceof WhmTransportError) {
    throw new AppError('upstream_unavailable', `WHM's answer was not usable: ${error.failure}.`, {
      logInfo: { fault: error.failure, detail: error.message },
    });
  }
  throw error;
}
