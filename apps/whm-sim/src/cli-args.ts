import { parseArgs } from 'node:util';
import { parseFaultFlag, type FaultSpec } from './faults.js';

export interface CliOptions {
  port: number;
  token: string;
  accounts: number;
  stateFile: string | undefined;
  host: string;
  tls: boolean;
  latencyMs: number;
  faults: FaultSpec[];
  /** `--reseller-token USER:TOKEN`: API tokens for resellers, checked against the state at start. */
  resellerTokens: { user: string; token: string }[];
  /** `--servers N`: a fleet of N servers instead of one (fleet.ts), with its servers file. */
  fleet:
    | {
        servers: number;
        serversFile: string;
        seed: number;
        unreachable: number;
        slow: number;
        slowMs: number;
        /** `--calls-file FILE`: where SIGUSR2 writes each server's call counts (cli-main.ts). */
        callsFile: string | undefined;
      }
    | undefined;
}

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError';
}

export const USAGE =
  'usage: whm-sim --port P --token T --accounts N --state FILE [--host H] [--tls] [--latency-ms N] [--fault FN:MODE[:ARG]]... [--reseller-token USER:TOKEN]...\n' +
  '       whm-sim --servers N --servers-file FILE [--port P] [--accounts N] [--state DIR] [--seed S] [--unreachable K] [--slow K] [--slow-ms MS] [--latency-ms N] [--host H] [--calls-file FILE]';

function wholeNumber(
  flag: string,
  value: string | undefined,
  fallback: number,
  max: number,
): number {
  if (value === undefined) return fallback;
  const parsed = Number(value);
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(parsed) || parsed > max) {
    throw new CliUsageError(`--${flag} must be a whole number from 0 to ${max}, got "${value}"`);
  }
  return parsed;
}

/** Flags only: the environment is mapped to flags by whoever starts the simulator. */
export function parseCliArgs(argv: readonly string[]): CliOptions {
  let values;
  try {
    ({ values } = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: false,
      options: {
        port: { type: 'string' },
        token: { type: 'string' },
        accounts: { type: 'string' },
        state: { type: 'string' },
        host: { type: 'string' },
        tls: { type: 'boolean' },
        'latency-ms': { type: 'string' },
        fault: { type: 'string', multiple: true },
        'reseller-token': { type: 'string', multiple: true },
        servers: { type: 'string' },
        'servers-file': { type: 'string' },
        seed: { type: 'string' },
        unreachable: { type: 'string' },
        slow: { type: 'string' },
        'slow-ms': { type: 'string' },
        'calls-file': { type: 'string' },
      },
    }));
  } catch (error) {
    throw new CliUsageError(`${(error as Error).message}\n${USAGE}`);
  }
  const fleet = parseFleet(values);
  if (
    fleet &&
    (values.token !== undefined || values.tls || values.fault || values['reseller-token'])
  ) {
    throw new CliUsageError(
      '--servers gives each server its own token (in the servers file); --token, --tls, --fault and --reseller-token are for one server',
    );
  }
  if (!fleet && (values.token === undefined || values.token === '')) {
    throw new CliUsageError(`--token is required: the root API token clients will send\n${USAGE}`);
  }
  if (values.state === '') throw new CliUsageError('--state must name a file');
  if (values.host === '') throw new CliUsageError('--host must not be empty');
  const faults = (values.fault ?? []).map((text) => {
    try {
      return parseFaultFlag(text);
    } catch (error) {
      throw new CliUsageError((error as Error).message);
    }
  });
  const resellerTokens = (values['reseller-token'] ?? []).map(parseResellerToken);
  return {
    port: wholeNumber('port', values.port, 2087, 65_535),
    token: values.token ?? '',
    accounts: wholeNumber('accounts', values.accounts, 25, 1_000_000),
    stateFile: values.state,
    host: values.host ?? '127.0.0.1',
    tls: values.tls ?? false,
    latencyMs: wholeNumber('latency-ms', values['latency-ms'], 0, 600_000),
    faults,
    resellerTokens,
    fleet,
  };
}

function parseFleet(
  values: Record<string, string | boolean | string[] | undefined>,
): CliOptions['fleet'] {
  const text = (name: string) => {
    const value = values[name];
    return typeof value === 'string' ? value : undefined;
  };
  const fleetOnly = ['servers-file', 'seed', 'unreachable', 'slow', 'slow-ms', 'calls-file'];
  if (text('servers') === undefined) {
    const stray = fleetOnly.find((name) => values[name] !== undefined);
    if (stray) throw new CliUsageError(`--${stray} needs --servers N`);
    return undefined;
  }
  const servers = wholeNumber('servers', text('servers'), 1, 500);
  if (servers < 1) throw new CliUsageError('--servers must be at least 1');
  const serversFile = text('servers-file');
  if (!serversFile) {
    throw new CliUsageError('--servers needs --servers-file FILE: where the console finds them');
  }
  const unreachable = wholeNumber('unreachable', text('unreachable'), 0, servers);
  const slow = wholeNumber('slow', text('slow'), 0, servers - unreachable);
  return {
    servers,
    serversFile,
    seed: wholeNumber('seed', text('seed'), 1, 1_000_000),
    unreachable,
    slow,
    slowMs: wholeNumber('slow-ms', text('slow-ms'), 3_000, 600_000),
    callsFile: text('calls-file') || undefined,
  };
}

function parseResellerToken(text: string): { user: string; token: string } {
  const colon = text.indexOf(':');
  const user = colon < 0 ? '' : text.slice(0, colon);
  const token = colon < 0 ? '' : text.slice(colon + 1);
  if (user === '' || token === '') {
    throw new CliUsageError(`--reseller-token must be USER:TOKEN, got "${text}"\n${USAGE}`);
  }
  return { user, token };
}

/** What to paste to check the simulator answers. */
export function curlLine(url: string, token: string, caFile?: string): string {
  const tlsFlag = caFile ? ` --cacert '${caFile}'` : '';
  return `curl${tlsFlag} -H 'Authorization: whm root:${token}' '${url}/json-api/twofactorauth_policy_status?api.version=1'`;
}
