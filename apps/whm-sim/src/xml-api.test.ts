import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  parseWhmXml,
  stripXid,
  whmFunctionNames,
  whmRequest,
  type ParamsOf,
  type WhmFunctionName,
} from '@console/whm-api';
import { ROOT_TOKEN, startTestSimulator, type TestSimulator } from './test-support/simulator.js';

type Format = 'json' | 'xml';

/**
 * The JSON answer as the XML API can carry it (reference/WHM-2FA.md, "XML API"): every scalar a
 * string (null and booleans included), a one-item array its item, an empty array gone, `""` and
 * `{}` empty, a map whose values are all maps a list of entries with their key in `name`.
 * Comparing the parsed XML with this compares "the same answer" modulo exactly those losses.
 */
function asTheXmlApiCarriesIt(value: unknown): unknown {
  if (value === null || value === undefined) return '';
  if (typeof value === 'boolean') return value ? '1' : '0';
  if (typeof value === 'number' || typeof value === 'string') return String(value);
  if (typeof value !== 'object') throw new Error(`no JSON value: ${typeof value}`);
  if (Array.isArray(value)) return oneOrMany(value.map(asTheXmlApiCarriesIt));
  const out: Record<string, unknown> = {};
  for (const [key, child] of Object.entries(value as Record<string, unknown>)) {
    if (Array.isArray(child) && child.length === 0) continue;
    out[key] = isMapOfMaps(child)
      ? oneOrMany(
          Object.keys(child)
            .sort()
            .map((name) => asTheXmlApiCarriesIt({ name, ...child[name] })),
        )
      : asTheXmlApiCarriesIt(child);
  }
  return Object.keys(out).length === 0 ? '' : out;
}

function oneOrMany(items: unknown[]): unknown {
  return items.length === 1 ? items[0] : items;
}

function isMap(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function isMapOfMaps(value: unknown): value is Record<string, Record<string, unknown>> {
  return isMap(value) && Object.keys(value).length > 0 && Object.values(value).every(isMap);
}

/** Calls a function the way the contract's client does, on either API, and returns the raw answer. */
async function callRaw<F extends WhmFunctionName>(
  base: string,
  format: Format,
  name: F,
  params: ParamsOf<F>,
  authorization: string,
): Promise<{ status: number; type: string | null; body: string }> {
  const request = whmRequest(name, params);
  const url = new URL(`/${format}-api/${name}`, base);
  url.search = request.query;
  const headers: Record<string, string> = {
    authorization,
    ...(request.contentType ? { 'content-type': request.contentType } : {}),
  };
  const { method, body } = request;
  const response = await fetch(url, { method, headers, body });
  return {
    status: response.status,
    type: response.headers.get('content-type'),
    body: await response.text(),
  };
}

// Two simulators from the same seed and clock, one asked in JSON and one in XML, the same calls in
// the same order: their states move in step, so their answers must match.
const CLOCK = () => Date.UTC(2026, 0, 15, 12, 0, 0);
let json: TestSimulator;
let xml: TestSimulator;
beforeAll(async () => {
  [json, xml] = await Promise.all([
    startTestSimulator({ clock: CLOCK }),
    startTestSimulator({ clock: CLOCK }),
  ]);
});
afterAll(async () => {
  await Promise.all([json.sim.close(), xml.sim.close()]);
});

/** Fields that are fresh random values on every call: compared by shape only. */
const RANDOM_FIELDS: Partial<Record<WhmFunctionName, readonly string[]>> = {
  twofactorauth_generate_tfa_config: ['secret', 'otpauth_str'],
};

/** XIDs are fresh on every call too: every string loses them. */
function withoutXids(tree: unknown): unknown {
  if (typeof tree === 'string') return stripXid(tree);
  if (Array.isArray(tree)) return tree.map(withoutXids);
  if (typeof tree === 'object' && tree !== null) {
    return Object.fromEntries(Object.entries(tree).map(([k, v]) => [k, withoutXids(v)]));
  }
  return tree;
}

function withoutRandomFields(name: WhmFunctionName, answer: unknown): unknown {
  const tree = withoutXids(answer);
  const fields = RANDOM_FIELDS[name];
  const data = (tree as { data?: Record<string, unknown> }).data;
  if (!fields || typeof data !== 'object') return tree;
  for (const field of fields) {
    expect(data[field], `${name}: ${field}`).toEqual(expect.any(String));
    data[field] = '(random)';
  }
  return tree;
}

function paramsFor(sim: TestSimulator): Partial<{ [F in WhmFunctionName]: ParamsOf<F> }> {
  const accounts = sim.sim.accounts();
  const enrolled = accounts.filter((a) => a.tfa && !a.reseller).map((a) => a.user);
  const plain = accounts.find((a) => !a.tfa && !a.reseller && a.owner !== 'root')?.user ?? 'nobody';
  return {
    twofactorauth_set_issuer: { issuer: 'Example Hosting' },
    twofactorauth_set_tfa_config: { secret: 'JBSWY3DPEHPK3PXP', tfa_token: '000000' },
    twofactorauth_get_user_configs: {},
    twofactorauth_remove_user_config: {
      user: [enrolled[0] ?? 'nobody', 'nosuchuser', enrolled[1] ?? 'nobody'],
    },
    twofactorauth_get_tfa_config_for_user: { user: enrolled[2] ?? 'nobody' },
    twofactorauth_set_tfa_config_for_user: {
      config: { [plain]: { primary_account: { secret: 'JBSWY3DPEHPK3PXP' } } },
    },
    listaccts: {},
    get_featurelist_data: { featurelist: 'starter' },
    uapi_cpanel: {
      'cpanel.user': plain,
      'cpanel.module': 'TwoFactorAuth',
      'cpanel.function': 'get_user_configuration',
    },
    cpanel: {
      cpanel_jsonapi_user: plain,
      cpanel_jsonapi_module: 'TwoFactorAuth',
      cpanel_jsonapi_func: 'get_user_configuration',
      cpanel_jsonapi_apiversion: 3,
    },
  };
}

/** Returns each function's `metadata.result`, to show which paths were covered. */
async function expectSameAnswers(
  authorizationFor: (t: TestSimulator) => string,
): Promise<Record<string, unknown>> {
  const results: Record<string, unknown> = {};
  const params = paramsFor(json);
  expect(paramsFor(xml)).toEqual(params);
  for (const name of whmFunctionNames) {
    const given = (params[name] ?? {}) as ParamsOf<typeof name>;
    const fromJson = await callRaw(json.sim.url, 'json', name, given, authorizationFor(json));
    const fromXml = await callRaw(xml.sim.url, 'xml', name, given, authorizationFor(xml));
    expect(fromXml.status, name).toBe(fromJson.status);
    expect(fromXml.type, name).toMatch(/^text\/xml; charset=UTF-8$/);
    expect(fromXml.body.startsWith('<?xml version="1.0" ?>\n<result>'), name).toBe(true);
    const tree = parseWhmXml(fromXml.body);
    // The `cpanel` bridge has no metadata: its refusal carries `error`, a call that ran `result`.
    const bridged =
      tree.metadata === undefined ? (tree.error === undefined ? '1' : '0') : undefined;
    results[name] = (tree.metadata as { result?: unknown } | undefined)?.result ?? bridged;
    expect(withoutRandomFields(name, tree), `${name} answers the same in XML`).toEqual(
      withoutRandomFields(name, asTheXmlApiCarriesIt(JSON.parse(fromJson.body) as unknown)),
    );
  }
  return results;
}

describe('/xml-api/', () => {
  it('when root calls every function with the same params, then XML and JSON answer the same', async () => {
    const results = await expectSameAnswers(() => `whm root:${ROOT_TOKEN}`);
    const failed = Object.keys(results).filter((name) => results[name] !== '1');
    expect(failed).toEqual(['twofactorauth_set_tfa_config']);
  });

  it('when a reseller calls every function, then XML and JSON answer the same (refusals included)', async () => {
    const user = json.reseller(0).user;
    expect(xml.reseller(0).user).toBe(user);
    const results = await expectSameAnswers(() => `whm ${user}:token-of-${user}`);
    expect(Object.values(results)).toContain('0');
    expect(results.twofactorauth_get_user_configs).toBe('1');
  });

  it('when the function is unknown, then the XML API answers the failure envelope in XML', async () => {
    const auth = `whm root:${ROOT_TOKEN}`;
    const path = '/xml-api/nosuchfunction?api.version=1';
    const response = await fetch(new URL(path, xml.sim.url), { headers: { authorization: auth } });
    expect(response.status).toBe(200);
    expect(parseWhmXml(await response.text())).toEqual({
      metadata: {
        command: 'nosuchfunction',
        reason: 'Unknown app (nosuchfunction) requested for this version (1) of the API.',
        result: '0',
        version: '1',
      },
    });
  });

  it('when a result0 fault is set, then the XML API answers it as an XML envelope', async () => {
    xml.sim.faults.set({
      fn: 'listaccts',
      mode: 'result0',
      reason: 'Down <for> "maintenance" & more',
      times: 1,
    });
    const response = await xml.raw('/xml-api/listaccts?api.version=1');
    expect(response.body).toContain('Down &lt;for&gt; &quot;maintenance&quot; &amp; more');
    expect(parseWhmXml(response.body)).toMatchObject({
      metadata: { result: '0', reason: 'Down <for> "maintenance" & more' },
    });
  });

  it('when the credentials are wrong, then the XML API refuses as the JSON API does (403, not an envelope)', async () => {
    const headers = { authorization: 'whm root:wrong' };
    const [a, b] = await Promise.all([
      json.raw('/json-api/twofactorauth_policy_status?api.version=1', { headers }),
      xml.raw('/xml-api/twofactorauth_policy_status?api.version=1', { headers }),
    ]);
    expect(b.status).toBe(403);
    expect(b.body).toBe(a.body);
  });

  it('when api.version is missing, then listaccts answers API 0 in XML', async () => {
    const response = await xml.raw('/cpsess123/xml-api/listaccts?want=user');
    const tree = parseWhmXml(response.body);
    expect(tree).toMatchObject({ status: '1', statusmsg: 'Ok' });
    expect(Array.isArray(tree.acct)).toBe(true);
  });
});
