// Routing, auth, faults, API 0 and the envelope of every call: one request's path, kept together.
import type { IncomingMessage, ServerResponse } from 'node:http';
import { setTimeout as sleep } from 'node:timers/promises';
import {
  bridgeFailureAnswer,
  catalogue,
  decodeParams,
  failureEnvelope,
  isWhmFunctionName,
  successEnvelope,
  toWhmXml,
  WireDecodeError,
  XML_CONTENT_TYPE,
  whmReasons,
  type WhmFunctionName,
  type WhmFunctionSpec,
} from '@console/whm-api';
import type { Caller } from './access.js';
import { authenticate, type TokenBook } from './auth.js';
import type { CallCounter } from './calls.js';
import type { FaultRegistry, FaultSpec } from './faults.js';
import { cpanelForm } from './form.js';
import { handlers } from './functions/index.js';
import { WhmFailure } from './functions/handler.js';
import { applyOutputOptions, extractApiArgs } from './output-options.js';
import { PerlDie } from './perl.js';
import { sendHtml, sendJson, sendText } from './responses.js';
import type { StateStore } from './state-store.js';

const MAX_BODY_BYTES = 1_048_576;
const PATH_PATTERN = /^(?:\/cpsess\d+)?\/(json|xml)-api\/([^/]+)$/;

/** `/json-api/` or `/xml-api/`: the same function, the same envelope, two serializations. */
type Format = 'json' | 'xml';

function sendEnvelope(res: ServerResponse, format: Format, body: Record<string, unknown>): void {
  if (format === 'json') {
    sendJson(res, body);
    return;
  }
  sendText(res, 200, toWhmXml(body), { 'content-type': XML_CONTENT_TYPE });
}

export interface ServerContext {
  store: StateStore;
  tokens: TokenBook;
  faults: FaultRegistry;
  calls: CallCounter;
  hostname: string;
  now: () => number;
  latencyMs: number;
}

class BodyTooLarge extends Error {}

async function readBody(req: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge();
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

interface ParsedRequest {
  entries: [string, string][];
  json: unknown;
  apiVersion: string | undefined;
}

/** Query and form params parsed as one form (query first), as cpsrvd does; JSON kept aside. */
async function parseRequest(req: IncomingMessage, url: URL): Promise<ParsedRequest> {
  const sent: [string, string][] = [...url.searchParams];
  let json: unknown;
  if (req.method === 'POST') {
    const text = await readBody(req);
    const type = (req.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
    if (type === 'application/json') {
      try {
        json = text === '' ? undefined : JSON.parse(text);
      } catch {
        json = Symbol.for('invalid-json');
      }
    } else if (type === 'application/x-www-form-urlencoded' || type === '') {
      sent.push(...new URLSearchParams(text));
    }
  }
  const entries = cpanelForm(sent);
  const apiVersion = entries.find(([key]) => key === 'api.version')?.[1];
  return { entries, json, apiVersion };
}

/**
 * Without `api.version=1` WHM falls back to API 0. Our functions postdate API 0, so they are unknown
 * there (with the version in the reason); `listaccts` answers in API 0's flat shape.
 */
async function answerApiZero(
  res: ServerResponse,
  format: Format,
  name: string,
  caller: Caller,
  request: ParsedRequest,
  context: ServerContext,
): Promise<void> {
  if (name === 'listaccts') {
    const { params } = decodeParams('listaccts', extractApiArgs(request.entries).params, {
      strict: false,
    });
    try {
      const result = await handlers.listaccts(
        handlerContext(context, caller, params, request.entries, undefined),
      );
      const acct = (result.data as { acct?: unknown[] } | undefined)?.acct ?? [];
      sendEnvelope(res, format, { acct, status: 1, statusmsg: 'Ok' });
    } catch (error) {
      if (!(error instanceof WhmFailure)) throw error;
      sendEnvelope(res, format, { acct: [], status: 0, statusmsg: error.reason });
    }
    return;
  }
  sendEnvelope(res, format, {
    metadata: {
      command: name,
      reason: `Unknown app (${name}) requested for this version (0) of the API.`,
      result: 0,
      version: 0,
    },
  });
}

function handlerContext(
  context: ServerContext,
  caller: Caller,
  raw: Record<string, unknown>,
  form: readonly [string, string][],
  json: unknown,
) {
  return {
    caller,
    raw,
    form,
    json,
    store: context.store,
    hostname: context.hostname,
    now: context.now,
  };
}

async function answer(
  req: IncomingMessage,
  res: ServerResponse,
  format: Format,
  name: string,
  url: URL,
  context: ServerContext,
): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'POST') {
    sendText(res, 405, 'Method Not Allowed\n', { allow: 'GET, POST' });
    return;
  }
  const auth = authenticate(req.headers.authorization, context.tokens);
  if (!auth.ok) {
    req.resume();
    if (auth.status === 401) {
      sendText(res, 401, `Access denied: ${auth.reason}.\n`, {
        'www-authenticate': 'Basic realm="WebHost Manager"',
      });
    } else {
      sendHtml(res, 403, 'Access denied', `Access denied: ${auth.reason}.`);
    }
    return;
  }
  let request: ParsedRequest;
  try {
    request = await parseRequest(req, url);
  } catch (error) {
    if (error instanceof BodyTooLarge) {
      sendText(res, 413, 'Request Entity Too Large\n', { connection: 'close' });
      return;
    }
    throw error;
  }
  // The bridge predates API 1 and answers in its own shape whichever version is asked.
  if (request.apiVersion !== '1' && name !== 'cpanel') {
    await answerApiZero(res, format, name, auth.caller, request, context);
    return;
  }
  if (!isWhmFunctionName(name)) {
    sendEnvelope(res, format, failureEnvelope(name, whmReasons.unknownFunction(name)));
    return;
  }
  sendEnvelope(res, format, await runFunction(name, auth.caller, request, context));
}

/** A JavaScript error escaping a handler reads like the Perl `die` WHM would report. */
function uncaughtText(error: unknown): string {
  if (error instanceof PerlDie) return error.message;
  const message = error instanceof Error ? error.message : String(error);
  return `${message} at /usr/local/cpanel/whm-sim.pl line 1.\n`;
}

/**
 * Decodes the params (the `api.*` options aside), runs the handler, then the generic output
 * options on its data, as `Whostmgr/API/1/Data/Wrapper.pm` execute_internal does: anything the
 * function does not catch, there included, becomes `API failure: ` + the error's text.
 */
async function runFunction(
  name: WhmFunctionName,
  caller: Caller,
  request: ParsedRequest,
  context: ServerContext,
): Promise<Record<string, unknown>> {
  const bridged = (catalogue[name] as WhmFunctionSpec).answer === 'bridge';
  try {
    if (request.json === Symbol.for('invalid-json')) {
      throw new WhmFailure('The request body is not valid JSON.');
    }
    const { api, params } = extractApiArgs(request.entries);
    const decoded = decodeParams(name, params, { strict: false });
    const result = await handlers[name](
      handlerContext(context, caller, decoded.params, request.entries, request.json),
    );
    if (bridged) return result.data as Record<string, unknown>;
    const envelope = successEnvelope(name, result.data);
    const data = result.data;
    if (typeof data === 'object' && data !== null && !Array.isArray(data)) {
      envelope.data = applyOutputOptions(
        api,
        data as Record<string, unknown>,
        envelope.metadata as Record<string, unknown>,
      );
    }
    return envelope;
  } catch (error) {
    if (error instanceof WhmFailure) {
      return bridged ? bridgeFailureAnswer(error.reason) : failureEnvelope(name, error.reason);
    }
    if (error instanceof WireDecodeError) {
      const reason = `Invalid value for “${error.field}”: ${error.message}`;
      return bridged ? bridgeFailureAnswer(reason) : failureEnvelope(name, reason);
    }
    return failureEnvelope(name, `${whmReasons.apiFailure}${uncaughtText(error)}`);
  }
}

/** A canned body for the faults that need one; its content hardly matters, its shape does. */
function cannedBody(format: Format, name: string): string {
  const body = successEnvelope(name, { note: 'fault injected by whm-sim' });
  return format === 'json' ? JSON.stringify(body) : toWhmXml(body);
}

const contentTypes: Record<Format, string> = {
  json: 'application/json; charset=UTF-8',
  xml: XML_CONTENT_TYPE,
};

/** Returns true when the fault has answered (or deliberately never will). */
async function applyFault(
  fault: FaultSpec,
  format: Format,
  name: string,
  req: IncomingMessage,
  res: ServerResponse,
): Promise<boolean> {
  switch (fault.mode) {
    case 'latency':
      await sleep(fault.ms ?? 1000);
      return false;
    case 'hang':
      req.resume();
      return true;
    case 'reset':
      req.socket.destroy();
      return true;
    case 'status':
      req.resume();
      sendHtml(
        res,
        fault.status ?? 500,
        'Internal Server Error',
        'The server encountered an error.',
      );
      return true;
    case 'html':
      req.resume();
      sendHtml(
        res,
        200,
        'WHM Login',
        '<form action="/login/" method="post"><input name="user"><input name="pass" type="password"></form>',
      );
      return true;
    case 'truncated': {
      req.resume();
      const body = cannedBody(format, name);
      const cut = body.slice(0, Math.floor(body.length / 2));
      res.writeHead(200, {
        'content-type': contentTypes[format],
        'content-length': Buffer.byteLength(cut),
      });
      res.end(cut);
      return true;
    }
    case 'stall': {
      req.resume();
      const body = cannedBody(format, name);
      res.writeHead(200, {
        'content-type': contentTypes[format],
        'content-length': Buffer.byteLength(body),
      });
      res.write(body.slice(0, Math.floor(body.length / 2)));
      return true;
    }
    case 'result0':
      req.resume();
      sendEnvelope(
        res,
        format,
        failureEnvelope(name, fault.reason ?? 'Simulated failure (whm-sim fault).'),
      );
      return true;
  }
}

function decodeName(segment: string): string | undefined {
  try {
    return decodeURIComponent(segment);
  } catch {
    return undefined;
  }
}

/** The node:http request listener: routing, faults, auth, then the function. Never throws. */
export function createRequestListener(context: ServerContext) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    void handle(req, res, context).catch(() => {
      if (!res.headersSent) {
        sendHtml(res, 500, 'Internal Server Error', 'The server encountered an internal error.');
      } else {
        res.destroy();
      }
    });
  };
}

async function handle(
  req: IncomingMessage,
  res: ServerResponse,
  context: ServerContext,
): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://whm.invalid');
  const route = PATH_PATTERN.exec(url.pathname);
  const format = route?.[1] as Format | undefined;
  const segment = route?.[2];
  const name = segment === undefined ? undefined : decodeName(segment);
  if (name === undefined || format === undefined) {
    req.resume();
    sendHtml(res, 404, 'Not Found', 'The requested URL was not found on this server.');
    return;
  }
  context.calls.record(name);
  if (context.latencyMs > 0) await sleep(context.latencyMs);
  const fault = context.faults.take(name);
  if (fault && (await applyFault(fault, format, name, req, res))) return;
  await answer(req, res, format, name, url, context);
}
