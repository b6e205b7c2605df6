import { describe, expect, it } from 'vitest';
import { CliUsageError, curlLine, parseCliArgs } from './cli-args.js';

describe('command line', () => {
  it('when every flag is given, then each is parsed', () => {
    expect(
      parseCliArgs([
        '--port',
        '2087',
        '--token',
        'T',
        '--accounts',
        '100',
        '--state',
        '/tmp/s.json',
        '--host',
        '127.0.0.2',
        '--tls',
        '--latency-ms',
        '20',
        '--fault',
        'listaccts:hang',
        '--fault',
        '*:status:503',
        '--reseller-token',
        'reseller1:R',
        '--reseller-token',
        'reseller2:a:b',
      ]),
    ).toEqual({
      port: 2087,
      token: 'T',
      accounts: 100,
      stateFile: '/tmp/s.json',
      host: '127.0.0.2',
      tls: true,
      latencyMs: 20,
      faults: [
        { fn: 'listaccts', mode: 'hang' },
        { fn: '*', mode: 'status', status: 503 },
      ],
      resellerTokens: [
        { user: 'reseller1', token: 'R' },
        { user: 'reseller2', token: 'a:b' },
      ],
    });
  });

  it('when only the token is given, then the rest take WHM-like defaults', () => {
    expect(parseCliArgs(['--token', 'T'])).toMatchObject({
      port: 2087,
      accounts: 25,
      stateFile: undefined,
      host: '127.0.0.1',
      tls: false,
      latencyMs: 0,
      faults: [],
      resellerTokens: [],
    });
  });

  it.each([
    [['--port', '0x10', '--token', 'T'], /--port/],
    [['--port', '70000', '--token', 'T'], /--port/],
    [['--accounts', '-3', '--token', 'T'], /accounts/],
    [['--latency-ms', 'fast', '--token', 'T'], /--latency-ms/],
    [['--port', '1'], /--token/],
    [['--token', 'T', '--fault', 'listaccts:boom'], /--fault/],
    [['--token', 'T', '--colour'], /colour/],
    [['--token', 'T', '--state', ''], /--state/],
    [['--token', 'T', '--reseller-token', 'reseller1'], /--reseller-token/],
    [['--token', 'T', '--reseller-token', ':R'], /--reseller-token/],
    [['--token', 'T', '--reseller-token', 'reseller1:'], /--reseller-token/],
  ])('when the arguments are %j, then it stops naming the flag', (argv, flag) => {
    expect(() => parseCliArgs(argv)).toThrow(CliUsageError);
    expect(() => parseCliArgs(argv)).toThrow(flag);
  });

  it('when printing the curl line, then it is ready to paste, with --cacert for TLS', () => {
    expect(curlLine('http://127.0.0.1:2087', 'T')).toBe(
      `curl -H 'Authorization: whm root:T' 'http://127.0.0.1:2087/json-api/twofactorauth_policy_status?api.version=1'`,
    );
    expect(curlLine('https://127.0.0.1:2087', 'T', '/tmp/ca.pem')).toContain(
      `--cacert '/tmp/ca.pem'`,
    );
  });
});
