import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse as parseYaml } from 'yaml';
import { parseWhmXml } from '@console/whm-api';
import { startSimulator, type Simulator } from '@console/whm-sim';
import { runWhmapi1 } from './run.js';

const TOKEN = 'whmapi1-test-token-0123456789';
let sim: Simulator;
let tlsSim: Simulator;
let dir: string;
beforeAll(async () => {
  [sim, tlsSim] = await Promise.all([
    startSimulator({ rootToken: TOKEN }),
    startSimulator({ rootToken: TOKEN, tls: true, accounts: 3 }),
  ]);
  dir = await mkdtemp(join(tmpdir(), 'whmapi1-'));
});
afterAll(async () => {
  await Promise.all([sim.close(), tlsSim.close(), rm(dir, { recursive: true, force: true })]);
});

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

async function whmapi1(
  argv: string[],
  {
    stdin = '',
    env = { WHM_TOKEN: TOKEN },
    url = sim.url,
  }: { stdin?: string; env?: Record<string, string>; url?: string } = {},
): Promise<Run> {
  let stdout = '';
  let stderr = '';
  const code = await runWhmapi1(['--url', url, ...argv], {
    stdout: (text) => (stdout += text),
    stderr: (text) => (stderr += text),
    stdin: () => Promise.resolve(stdin),
    env,
  });
  // Whatever happened, the token is never shown.
  expect(stdout + stderr).not.toContain(TOKEN);
  return { code, stdout, stderr };
}

/** A port nothing listens on: one the system just gave out and took back. */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The same call straight to the API, for comparison. */
async function direct(api: 'json' | 'xml', name: string, query: string): Promise<string> {
  const response = await fetch(new URL(`/${api}-api/${name}?api.version=1&${query}`, sim.url), {
    headers: { authorization: `whm root:${TOKEN}` },
  });
  return response.text();
}

const READS: [string, string[]][] = [
  ['twofactorauth_policy_status', []],
  ['twofactorauth_get_user_configs', []],
  ['listaccts', ['want=user,domain,suspendtime,ipv6', 'search=reseller']],
];

describe('whmapi1 output formats', () => {
  it.each(READS)(
    'when %s is asked in every format, then each reads back as the API answer',
    async (name, pairs) => {
      const query = pairs.join('&');
      const json = JSON.parse(await direct('json', name, query)) as unknown;
      const yaml = await whmapi1([name, ...pairs]);
      expect(yaml.code, yaml.stderr).toBe(0);
      expect(yaml.stdout).toMatch(
        name === 'twofactorauth_policy_status' ? /^---\ndata:\n/ : /^---\ndata:/,
      );
      expect(yaml.stdout).toMatch(/\nmetadata:\n {2}command: /);
      expect(parseYaml(yaml.stdout)).toEqual(json);
      for (const format of ['json', 'jsonpretty']) {
        const run = await whmapi1([`--output=${format}`, name, ...pairs]);
        expect(run.code).toBe(0);
        expect(JSON.parse(run.stdout), format).toEqual(json);
      }
      expect((await whmapi1(['--output=jsonpretty', name, ...pairs])).stdout).toMatch(
        /^\{\n {3}"data"/,
      );
      const xml = await whmapi1(['--output', 'xml', name, ...pairs]);
      expect(xml.code).toBe(0);
      expect(xml.stdout.startsWith('<?xml version="1.0" ?>\n<result>')).toBe(true);
      expect(parseWhmXml(xml.stdout)).toEqual(parseWhmXml(await direct('xml', name, query)));
    },
  );
});

describe('whmapi1 checks before sending', () => {
  it.each([
    [['nosuchfunction'], /unknown function "nosuchfunction"/],
    [['twofactorauth_get_user_configs', 'bogus=1'], /bogus: bogus is not a parameter/],
    [['twofactorauth_get_user_configs', 'user=Not A User!'], /user: must be a cPanel user name/],
    [['twofactorauth_get_tfa_config_for_user'], /user: /],
    [['twofactorauth_set_issuer', 'issuer'], /"issuer" is not name=value/],
    [['--output=toml', 'listaccts'], /--output must be one of yaml, json, jsonpretty, xml/],
    [['twofactorauth_set_tfa_config_for_user'], /--input=json/],
    [['--input=json', 'twofactorauth_policy_status'], /takes no JSON body/],
  ])(
    'when the command is %j, then it exits 2 naming the problem and sends nothing',
    async (argv, reason) => {
      const before = sim.calls.count();
      const run = await whmapi1(argv);
      expect(run.code).toBe(2);
      expect(run.stderr).toMatch(reason);
      expect(run.stdout).toBe('');
      expect(sim.calls.count()).toBe(before);
    },
  );

  it('when --input=json gets no JSON, then it exits 2 and sends nothing', async () => {
    const before = sim.calls.count();
    const run = await whmapi1(['--input=json', 'twofactorauth_set_tfa_config_for_user'], {
      stdin: '{not json',
    });
    expect(run).toMatchObject({ code: 2, stdout: '' });
    expect(run.stderr).toMatch(/standard input is not JSON/);
    expect(sim.calls.count()).toBe(before);
  });

  it('when there is no token, then it exits 2 and sends nothing', async () => {
    const before = sim.calls.count();
    const run = await whmapi1(['twofactorauth_policy_status'], { env: {} });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/--token-file FILE or set WHM_TOKEN/);
    expect(sim.calls.count()).toBe(before);
  });
});

describe('whmapi1 against WHM', () => {
  it('when WHM answers result 0, then the document is printed, the reason goes to stderr, exit 1', async () => {
    const run = await whmapi1([
      'twofactorauth_set_tfa_config',
      'secret=JBSWY3DPEHPK3PXP',
      'tfa_token=000000',
    ]);
    expect(run.code).toBe(1);
    const document = parseYaml(run.stdout) as { metadata: { result: number; reason: string } };
    expect(document.metadata.result).toBe(0);
    expect(run.stderr).toContain(
      `twofactorauth_set_tfa_config failed: ${document.metadata.reason}`,
    );
  });

  it('when --input=json carries a config, then it is sent as the JSON body', async () => {
    const user = sim.accounts().find((acct) => !acct.tfa && !acct.reseller)?.user ?? '';
    const config = { [user]: { primary_account: { secret: 'JBSWY3DPEHPK3PXP' } } };
    const set = await whmapi1(['--input=json', 'twofactorauth_set_tfa_config_for_user'], {
      stdin: JSON.stringify(config),
    });
    expect(set.code, set.stderr).toBe(0);
    expect(sim.secretOf(user)).toBe('JBSWY3DPEHPK3PXP');
  });

  it('when the token comes from --token-file, then the call is made with it', async () => {
    const file = join(dir, 'token');
    await writeFile(file, `${TOKEN}\n`);
    const run = await whmapi1(['--token-file', file, '--output=json', 'twofactorauth_get_issuer'], {
      env: {},
    });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toMatchObject({ metadata: { result: 1 } });
  });

  it('when the server is unreachable, then it exits 3 with a clear message', async () => {
    const port = await freePort();
    const run = await whmapi1(['twofactorauth_policy_status'], { url: `http://127.0.0.1:${port}` });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(
      new RegExp(`no answer from http://127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
    expect(run.stdout).toBe('');
  });

  it('when the token is wrong, then it exits 3 and the message does not echo it', async () => {
    const run = await whmapi1(['twofactorauth_policy_status'], { env: { WHM_TOKEN: `${TOKEN}x` } });
    expect(run.code).toBe(3);
    expect(run.stderr).toMatch(/WHM refused access/);
    expect(run.stderr).not.toContain(`${TOKEN}x`);
  });

  it('when the certificate is self-signed, then TLS refuses it unless --ca-file pins it', async () => {
    const refused = await whmapi1(['twofactorauth_policy_status'], { url: tlsSim.url });
    expect(refused.code).toBe(3);
    expect(refused.stderr).toMatch(/no answer from https:.*(SELF_SIGNED|self-signed)/i);
    const ca = join(dir, 'ca.pem');
    await writeFile(ca, tlsSim.caCert ?? '');
    const pinned = await whmapi1(['--ca-file', ca, 'twofactorauth_policy_status'], {
      url: tlsSim.url,
    });
    expect(pinned.code, pinned.stderr).toBe(0);
    expect(parseYaml(pinned.stdout)).toMatchObject({
      data: { is_enabled: 0 },
      metadata: { result: 1 },
    });
  });
});
