import { parseArgs } from 'node:util';

export const outputFormats = ['yaml', 'json', 'jsonpretty', 'xml'] as const;
export type OutputFormat = (typeof outputFormats)[number];

export interface Whmapi1Args {
  fn: string;
  /** `name=value` pairs in the order given; a name may repeat (`user=a user=b`). */
  pairs: [string, string][];
  output: OutputFormat;
  inputJson: boolean;
  url: string;
  user: string;
  tokenFile: string | undefined;
  caFile: string | undefined;
}

/** Bad command line: exit 2, nothing sent. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

export const USAGE =
  'usage: whmapi1 --url https://HOST:2087 [--user root] [--token-file FILE | WHM_TOKEN=...] [--ca-file PEM] ' +
  '[--output=yaml|json|jsonpretty|xml] [--input=json] FUNCTION [name=value]...';

function oneOf<T extends string>(flag: string, value: string, allowed: readonly T[]): T {
  if ((allowed as readonly string[]).includes(value)) return value as T;
  throw new UsageError(`--${flag} must be one of ${allowed.join(', ')}, got "${value}"`);
}

export function parseWhmapi1Args(argv: readonly string[]): Whmapi1Args {
  let parsed;
  try {
    parsed = parseArgs({
      args: [...argv],
      strict: true,
      allowPositionals: true,
      options: {
        output: { type: 'string' },
        input: { type: 'string' },
        url: { type: 'string' },
        user: { type: 'string' },
        'token-file': { type: 'string' },
        'ca-file': { type: 'string' },
      },
    });
  } catch (error) {
    throw new UsageError((error as Error).message);
  }
  const { values, positionals } = parsed;
  const [fn, ...rest] = positionals;
  if (fn === undefined || fn === '') throw new UsageError('FUNCTION is missing');
  const pairs = rest.map((arg): [string, string] => {
    const equals = arg.indexOf('=');
    if (equals <= 0) throw new UsageError(`"${arg}" is not name=value`);
    return [arg.slice(0, equals), arg.slice(equals + 1)];
  });
  if (values.url === undefined || values.url === '') {
    throw new UsageError('--url is required: the WHM to call, e.g. https://host.example.com:2087');
  }
  if (values.user === '') throw new UsageError('--user must not be empty');
  if (values['token-file'] === '') throw new UsageError('--token-file must name a file');
  if (values['ca-file'] === '') throw new UsageError('--ca-file must name a file');
  return {
    fn,
    pairs,
    output: oneOf('output', values.output ?? 'yaml', outputFormats),
    inputJson:
      values.input === undefined ? false : oneOf('input', values.input, ['json']) === 'json',
    url: values.url,
    user: values.user ?? 'root',
    tokenFile: values['token-file'],
    caFile: values['ca-file'],
  };
}
