import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Ajv2020, type ValidateFunction } from 'ajv/dist/2020.js';
import addFormatsModule from 'ajv-formats';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { uapiTwoFactorAuthFunctions } from '@console/whm-api';
import { USERNAME_PATTERN } from '@console/whm-api';
import { referenceDir } from './test-support/reference.js';
import { startTestSimulator, type TestSimulator } from './test-support/simulator.js';
import { totpCode } from './totp.js';

type Json = Record<string, unknown>;
type OpenApi = { paths: Record<string, Record<string, Json>> };

const addFormats = addFormatsModule as unknown as (ajv: Ajv2020) => Ajv2020;
const ajv = new Ajv2020({ strict: false, allErrors: true });
addFormats(ajv);
ajv.addFormat('username', USERNAME_PATTERN);
ajv.addFormat('domain', /^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z0-9-]{2,63}$/i);
ajv.addFormat('unix_timestamp', {
  type: 'number',
  validate: (n: number) => Number.isInteger(n) && n >= 0,
});
// WHM reports an account without a contact address as `*unknown*`, which cPanel's own `format: email` forgets.
ajv.addFormat('email', /^(\*unknown\*|[^\s@]+@[^\s@]+)$/);

function load(file: string): OpenApi {
  return parse(readFileSync(join(referenceDir(), file), 'utf8')) as OpenApi;
}

function responseSchema(spec: OpenApi, path: string): Json {
  const operation = spec.paths[path];
  const method = operation?.get ?? operation?.post;
  const schema = method?.responses as Json | undefined;
  const found = ((((schema?.['200'] as Json)?.content as Json)?.['application/json'] as Json)
    ?.schema ?? undefined) as Json | undefined;
  if (!found) throw new Error(`no 200 application/json schema for ${path}`);
  return found;
}

/**
 * cPanel's listaccts schema says `suspendreason` is oneOf ["not suspended"] or any string: the value
 * WHM sends for active accounts matches both branches, so oneOf can never pass. Read it as anyOf.
 */
function relaxSuspendReason(schema: Json): Json {
  const text = JSON.stringify(schema);
  const item = (((schema.properties as Json).data as Json).properties as Json).acct as Json;
  const reason = ((item.items as Json).properties as Json).suspendreason as Json;
  reason.anyOf = reason.oneOf;
  delete reason.oneOf;
  expect(JSON.stringify(schema)).not.toBe(text);
  return schema;
}

const whm2fa = load('whm-openapi-twofactorauth.yml');
const whmAccounts = load('whm-openapi-listaccts-and-cpanel.yml');
const uapiSpec = load('uapi-TwoFactorAuth-openapi.yml');

const validators = new Map<string, ValidateFunction>();
function validatorFor(fn: string): ValidateFunction {
  let validate = validators.get(fn);
  if (!validate) {
    const schema =
      fn === 'listaccts'
        ? relaxSuspendReason(responseSchema(whmAccounts, '/listaccts'))
        : fn === 'uapi_cpanel'
          ? responseSchema(whmAccounts, '/uapi_cpanel')
          : fn.startsWith('uapi:')
            ? ((responseSchema(uapiSpec, `/TwoFactorAuth/${fn.slice(5)}`).properties as Json)
                .result as Json)
            : responseSchema(whm2fa, `/${fn}`);
    validate = ajv.compile(schema);
    validators.set(fn, validate);
  }
  return validate;
}

function expectValid(fn: string, body: unknown): void {
  const validate = validatorFor(fn);
  const valid = validate(body);
  expect(validate.errors ?? [], `${fn}: ${JSON.stringify(body).slice(0, 300)}`).toEqual([]);
  expect(valid).toBe(true);
}

const NOW = 1_770_000_000_000;
let t: TestSimulator;
beforeAll(async () => {
  t = await startTestSimulator({ accounts: 80, clock: () => NOW });
});
afterAll(() => t.sim.close());

async function call(fn: string, query = '', init?: RequestInit): Promise<unknown> {
  const response = await t.raw(`/json-api/${fn}?api.version=1${query}`, init);
  expect(response.status).toBe(200);
  return response.json;
}

describe('answers against cPanel’s OpenAPI response schemas', () => {
  it('when an answer breaks a schema, then the check catches it', () => {
    expect(validatorFor('twofactorauth_policy_status')({ metadata: { result: '1' } })).toBe(false);
    expect(validatorFor('listaccts')({ data: { acct: [{ user: 'Not A User!' }] } })).toBe(false);
    expect(
      validatorFor('listaccts')({ data: { acct: [{ suspendreason: 'not suspended' }] } }),
    ).toBe(true);
  });

  it('when every 2FA function answers successfully, then each answer fits its schema', async () => {
    const enrolled = t.sim.accounts().find((a) => a.tfa)?.user ?? '';
    const plain = t.sim.accounts().find((a) => !a.tfa && !a.reseller)?.user ?? '';
    const generated = (await call('twofactorauth_generate_tfa_config')) as {
      data: { secret: string };
    };
    expectValid('twofactorauth_generate_tfa_config', generated);
    const secret = generated.data.secret;
    const answers: [string, unknown][] = [
      ['twofactorauth_policy_status', await call('twofactorauth_policy_status')],
      ['twofactorauth_enable_policy', await call('twofactorauth_enable_policy')],
      ['twofactorauth_disable_policy', await call('twofactorauth_disable_policy')],
      ['twofactorauth_set_issuer', await call('twofactorauth_set_issuer', '&issuer=Acme')],
      ['twofactorauth_get_issuer', await call('twofactorauth_get_issuer')],
      [
        'twofactorauth_set_tfa_config',
        await call(
          'twofactorauth_set_tfa_config',
          `&secret=${secret}&tfa_token=${totpCode(secret, NOW)}`,
        ),
      ],
      ['twofactorauth_get_user_configs', await call('twofactorauth_get_user_configs')],
      [
        'twofactorauth_get_user_configs',
        await call('twofactorauth_get_user_configs', `&user=${enrolled}`),
      ],
      [
        'twofactorauth_remove_user_config',
        await call('twofactorauth_remove_user_config', `&user=${enrolled}&user-1=ghost`),
      ],
      [
        'twofactorauth_get_tfa_config_for_user',
        await call('twofactorauth_get_tfa_config_for_user', '&user=root'),
      ],
      [
        'twofactorauth_set_tfa_config_for_user',
        await call('twofactorauth_set_tfa_config_for_user', '', {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify({ [plain]: { primary_account: { secret: 'JBSWY3DPEHPK3PXP' } } }),
        }),
      ],
    ];
    for (const [fn, body] of answers) {
      expect(body).toMatchObject({ metadata: { result: 1 } });
      expectValid(fn, body);
    }
  });

  it('when 2FA functions fail, then the failure envelopes fit the same schemas', async () => {
    const failures: [string, unknown][] = [
      ['twofactorauth_set_issuer', await call('twofactorauth_set_issuer', '&issuer=bad:issuer')],
      [
        'twofactorauth_set_tfa_config',
        await call('twofactorauth_set_tfa_config', '&secret=1&tfa_token=1'),
      ],
      [
        'twofactorauth_get_user_configs',
        await call('twofactorauth_get_user_configs', '&user=ghost'),
      ],
      ['twofactorauth_remove_user_config', await call('twofactorauth_remove_user_config')],
      [
        'twofactorauth_get_tfa_config_for_user',
        await call('twofactorauth_get_tfa_config_for_user', '&user=ghost'),
      ],
    ];
    for (const [fn, body] of failures) {
      expect(body).toMatchObject({ metadata: { result: 0 } });
      expectValid(fn, body);
    }
  });

  it('when listaccts answers in full, trimmed or searched, then it fits the listaccts schema', async () => {
    expectValid('listaccts', await call('listaccts'));
    expectValid('listaccts', await call('listaccts', '&want=user,domain,suspendreason'));
    expectValid('listaccts', await call('listaccts', '&search=nomatch&searchtype=user'));
    expectValid('listaccts', await call('listaccts', '&api.chunk.enable=1&api.chunk.size=7'));
  });

  it('when UAPI TwoFactorAuth functions succeed, then WHM’s envelope and the UAPI result fit their schemas', async () => {
    const user =
      t.sim.accounts().find((a) => !a.tfa && !a.reseller && a.plan !== 'starter')?.user ?? '';
    const base = `&cpanel.user=${user}&cpanel.module=TwoFactorAuth&cpanel.function=`;
    const generated = (await call('uapi_cpanel', `${base}generate_user_configuration`)) as {
      data: { uapi: { data: { secret: string } } };
    };
    const secret = generated.data.uapi.data.secret;
    const answers: Record<(typeof uapiTwoFactorAuthFunctions)[number], unknown> = {
      generate_user_configuration: generated,
      set_user_configuration: await call(
        'uapi_cpanel',
        `${base}set_user_configuration&secret=${secret}&tfa_token=${totpCode(secret, NOW)}`,
      ),
      get_user_configuration: await call('uapi_cpanel', `${base}get_user_configuration`),
      remove_user_configuration: await call('uapi_cpanel', `${base}remove_user_configuration`),
    };
    for (const [fn, body] of Object.entries(answers)) {
      expect(body).toMatchObject({ metadata: { result: 1 }, data: { uapi: { status: 1 } } });
      expectValid('uapi_cpanel', body);
      expectValid(`uapi:${fn}`, (body as { data: { uapi: unknown } }).data.uapi);
    }
  });
});
