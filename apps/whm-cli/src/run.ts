import { readFile } from 'node:fs/promises';
import {
  catalogue,
  createWhmClient,
  decodeParams,
  isWhmFunctionName,
  whmFunctionNames,
  WhmError,
  WhmTransportError,
  WireDecodeError,
  type WhmFunctionName,
  type WhmFunctionSpec,
} from '@console/whm-api';
import { Agent, fetch as undiciFetch } from 'undici';
import { parseWhmapi1Args, USAGE, UsageError, type Whmapi1Args } from './args.js';
import { formatAnswer } from './output.js';

export interface Whmapi1Io {
  stdout(text: string): void;
  stderr(text: string): void;
  /** Standard input, read only for `--input=json`. */
  stdin(): Promise<string>;
  env: Readonly<Record<string, string | undefined>>;
}

/** Exit codes: 0 ok, 1 WHM answered `result: 0` (or broke the contract), 2 bad command line, 3 no answer. */
export const EXIT = { ok: 0, failed: 1, usage: 2, unreachable: 3 } as const;

const TIMEOUT_MS = 60_000;

interface CheckedRequest {
  name: WhmFunctionName;
  params: Record<string, unknown>;
  output: ReturnType<typeof decodeParams>['output'];
}

/** Everything checked against the contract before a byte is sent; a UsageError names the param. */
async function checkedRequest(args: Whmapi1Args, io: Whmapi1Io): Promise<CheckedRequest> {
  const name = args.fn;
  if (!isWhmFunctionName(name)) {
    throw new UsageError(
      `unknown function "${name}"; this whmapi1 knows: ${whmFunctionNames.join(', ')}`,
    );
  }
  const spec: WhmFunctionSpec = catalogue[name];
  let decoded;
  try {
    decoded = decodeParams(name, args.pairs, { strict: true });
  } catch (error) {
    if (error instanceof WireDecodeError) throw new UsageError(`${error.field}: ${error.message}`);
    throw error;
  }
  const params = { ...decoded.params };
  if (spec.body === 'json') {
    if (!args.inputJson) throw new UsageError(`${name} takes a JSON body: use --input=json`);
    const text = await io.stdin();
    try {
      params.config = JSON.parse(text) as unknown;
    } catch (error) {
      throw new UsageError(
        `--input=json: standard input is not JSON (${(error as Error).message})`,
      );
    }
  } else if (args.inputJson) {
    throw new UsageError(`--input=json: ${name} takes no JSON body`);
  }
  const checked = spec.params.strict().safeParse(params);
  if (!checked.success) {
    const issue = checked.error.issues[0];
    const where = issue?.path.join('.') || (issue && 'keys' in issue ? String(issue.keys) : '');
    throw new UsageError(`${where || 'params'}: ${issue?.message ?? 'invalid'}`);
  }
  return { name, params, output: decoded.output };
}

async function tokenOf(args: Whmapi1Args, io: Whmapi1Io): Promise<string> {
  if (args.tokenFile !== undefined) {
    let text: string;
    try {
      text = await readFile(args.tokenFile, 'utf8');
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
      throw new UsageError(`--token-file: cannot read ${args.tokenFile} (${code})`);
    }
    const token = text.trim();
    if (token === '') throw new UsageError(`--token-file: ${args.tokenFile} is empty`);
    return token;
  }
  const token = io.env.WHM_TOKEN?.trim();
  if (!token) throw new UsageError('no API token: give --token-file FILE or set WHM_TOKEN');
  return token;
}

function originOf(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new UsageError(`--url: "${url}" is not a URL`);
  }
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') {
    throw new UsageError(`--url must be http:// or https://, got "${parsed.protocol}"`);
  }
  return parsed.origin;
}

async function dispatcherFor(caFile: string | undefined): Promise<Agent | undefined> {
  if (caFile === undefined) return undefined;
  let ca: string;
  try {
    ca = await readFile(caFile, 'utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'unreadable';
    throw new UsageError(`--ca-file: cannot read ${caFile} (${code})`);
  }
  // `ca` replaces the system's roots: only this certificate (or what it signed) is trusted.
  return new Agent({ connect: { ca } });
}

/**
 * A fetch that keeps the raw body: the client checks the answer against the contract (and drops
 * what the contract does not list), but the tool prints what WHM sent, as cPanel's does.
 */
function capturingFetch(dispatcher: Agent | undefined) {
  const captured: { text?: string } = {};
  const doFetch = async (
    input: Parameters<typeof globalThis.fetch>[0],
    init?: RequestInit,
  ): Promise<Response> => {
    const response = await undiciFetch(input as URL, {
      ...(init as Parameters<typeof undiciFetch>[1]),
      dispatcher,
    });
    const text = await response.text();
    captured.text = text;
    return new Response(text, {
      status: response.status,
      statusText: response.statusText,
      headers: response.headers as unknown as Headers,
    });
  };
  return { fetch: doFetch, captured };
}

function printable(text: string | undefined): Record<string, unknown> | undefined {
  try {
    const value = JSON.parse(text ?? '') as unknown;
    return typeof value === 'object' && value !== null
      ? (value as Record<string, unknown>)
      : undefined;
  } catch {
    return undefined;
  }
}

/** `whmapi1 FUNCTION name=value …` against any WHM, over the API. Returns the exit code. */
export async function runWhmapi1(argv: readonly string[], io: Whmapi1Io): Promise<number> {
  let token: string | undefined;
  // Belt and braces: nothing printed may carry the token, whatever a library puts in a message.
  const say = (text: string) =>
    io.stderr(`whmapi1: ${token ? text.replaceAll(token, '[token]') : text}\n`);
  try {
    const args = parseWhmapi1Args(argv);
    const request = await checkedRequest(args, io);
    const origin = originOf(args.url);
    token = await tokenOf(args, io);
    const { fetch, captured } = capturingFetch(await dispatcherFor(args.caFile));
    const client = createWhmClient({
      url: origin,
      user: args.user,
      token,
      fetch,
      timeoutMs: TIMEOUT_MS,
    });
    try {
      await client.callWithMetadata(request.name, request.params, {
        output: request.output,
      });
      io.stdout(formatAnswer(printable(captured.text) ?? {}, args.output));
      return EXIT.ok;
    } catch (error) {
      const document = printable(captured.text);
      if (error instanceof WhmError) {
        if (document) io.stdout(formatAnswer(document, args.output));
        say(`${request.name} failed: ${error.reason}`);
        return EXIT.failed;
      }
      if (error instanceof WhmTransportError && error.failure === 'contract') {
        if (document) io.stdout(formatAnswer(document, args.output));
        say(`${error.message} (the answer is printed as received)`);
        return EXIT.failed;
      }
      if (error instanceof WhmTransportError) {
        say(`no answer from ${origin}: ${error.message}`);
        return EXIT.unreachable;
      }
      throw error;
    }
  } catch (error) {
    if (error instanceof UsageError) {
      say(`${error.message}\n${USAGE}`);
      return EXIT.usage;
    }
    say(`unexpected error: ${error instanceof Error ? error.message : String(error)}`);
    return EXIT.failed;
  }
}
