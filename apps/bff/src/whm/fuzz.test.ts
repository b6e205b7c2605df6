import { catalogue } from '@console/whm-api';
import fc from 'fast-check';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

let t: TestConsole;
let admin: Client;
let viewer: Client;
beforeAll(async () => {
  t = await startTestConsole({ accounts: 20 });
  admin = await t.login('admin');
  viewer = await t.login('viewer');
});
afterAll(async () => {
  await t.close();
});

const functionNames = Object.keys(catalogue);
const tricks = [
  '..',
  '.',
  '%2e%2e',
  '%2f',
  '%5c',
  '%252e%252e',
  '%00',
  '..%2f..',
  '%3f',
  '%23',
  '',
];
const segment = fc.oneof(
  fc.constantFrom(...functionNames),
  fc.constantFrom(...tricks),
  fc.string({ maxLength: 20 }).map(encodeURIComponent),
  fc
    .constantFrom(...functionNames)
    .map((name) => `${name}${fc.sample(fc.constantFrom(...tricks), 1)[0]}`),
);
const server = fc.oneof(
  fc.constant('local'),
  fc.constantFrom(...tricks),
  fc.string({ maxLength: 10 }).map(encodeURIComponent),
);
const paramName = fc.oneof(
  fc.constantFrom(
    'user',
    'user-1',
    'user-0',
    'user[]',
    'search',
    'searchtype',
    'searchmethod',
    'want',
    'issuer',
    'secret',
    'tfa_token',
    'reason',
    '__proto__',
    'constructor',
    'prototype',
    'api.version',
    'api.filter.enable',
    'api.filter.a.field',
    'api.filter.a.arg0',
    'api.sort.enable',
    'api.sort.a.field',
    'api.chunk.enable',
    'api.chunk.size',
    'api.columns.enable',
    'api.columns.a',
    'cpanel.user',
    'config',
  ),
  fc.string({ maxLength: 12 }),
);
const paramValue = fc.oneof(
  fc.constantFrom(
    'root',
    'bob',
    'user',
    'domain',
    '1',
    '0',
    '',
    'contains',
    'regex',
    'exact',
    '%00',
    '%zz',
    'a'.repeat(1500),
  ),
  fc.string({ unit: 'grapheme', maxLength: 40 }),
  fc.string({ unit: 'binary', maxLength: 10 }),
);
const query = fc
  .array(fc.tuple(paramName, paramValue, fc.boolean()), { maxLength: 6 })
  .map((pairs) =>
    pairs
      .map(([key, value, raw]) =>
        raw && /^[\x21-\x7e]*$/.test(value) && !/[#?]/.test(value)
          ? `${encodeURIComponent(key)}=${value}`
          : `${encodeURIComponent(key)}=${encodeURIComponent(value)}`,
      )
      .join('&'),
  );
const body = fc.oneof(
  fc.jsonValue(),
  fc.dictionary(
    paramName,
    fc.oneof(paramValue, fc.jsonValue(), fc.array(paramValue, { maxLength: 3 })),
  ),
  fc.record({
    user: fc.oneof(paramValue, fc.array(paramValue, { maxLength: 4 })),
    reason: fc.oneof(paramValue, fc.string({ minLength: 3, maxLength: 30 })),
  }),
);

/** Upstream calls are allowed only when the answer shows the request passed validation. */
function passedValidation(status: number): boolean {
  return status === 200 || status === 422;
}

describe('SECURITY 16: fuzzing the WHM route', () => {
  it('when thousands of generated reads arrive, then none gets a 5xx and none reaches WHM unvalidated', async () => {
    const simulator = t.running.simulator!;
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'GET', 'HEAD', 'DELETE', 'OPTIONS'),
        server,
        segment,
        query,
        fc.boolean(),
        async (method, srv, fn, q, asViewer) => {
          const before = simulator.calls.count();
          const client = asViewer ? viewer : admin;
          const answer = await client.request(
            method,
            `/api/servers/${srv}/whm/${fn}${q ? `?${q}` : ''}`,
          );
          const calls = simulator.calls.count() - before;
          expect(answer.status, answer.text).toBeLessThan(500);
          if (!passedValidation(answer.status)) expect(calls).toBe(0);
          if (answer.status >= 400 && method !== 'HEAD') {
            expect(typeof answer.json.code).toBe('string');
            expect(typeof answer.json.message).toBe('string');
          }
        },
      ),
      { numRuns: 1200 },
    );
  }, 90_000);

  it('when thousands of generated writes arrive, then none gets a 5xx and none reaches WHM unvalidated', async () => {
    const simulator = t.running.simulator!;
    await admin.stepUp();
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('POST', 'PUT', 'PATCH'),
        segment,
        body,
        fc.boolean(),
        async (method, fn, payload, asViewer) => {
          const before = simulator.calls.count();
          const client = asViewer ? viewer : admin;
          const answer = await client.request(method, `/api/servers/local/whm/${fn}`, {
            rawBody: JSON.stringify(payload),
          });
          const calls = simulator.calls.count() - before;
          expect(answer.status, answer.text).toBeLessThan(500);
          if (!passedValidation(answer.status)) expect(calls).toBe(0);
          if (answer.status >= 400) expect(typeof answer.json.code).toBe('string');
        },
      ),
      { numRuns: 1000 },
    );
  }, 90_000);

  it('when other /api paths get generated input, then none gets a 5xx', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom('GET', 'POST', 'PUT', 'PATCH', 'DELETE'),
        fc.constantFrom(
          '/api/session',
          '/api/session/step-up',
          '/api/operators',
          '/api/operators/1',
          '/api/operators/1/sessions',
          '/api/operators/x/totp',
          '/api/settings',
          '/api/audit',
          '/api/audit.csv',
          '/api/me/password',
          '/api/me/totp/confirm',
          '/api/servers',
        ),
        query,
        body,
        async (method, path, q, payload) => {
          const answer = await viewer.request(method, `${path}${q ? `?${q}` : ''}`, {
            rawBody: JSON.stringify(payload),
          });
          expect(answer.status, answer.text).toBeLessThan(500);
        },
      ),
      { numRuns: 600 },
    );
    const audit = await admin.request('GET', '/api/audit?limit=500&operator=%00');
    expect(audit.status).toBe(400);
  }, 90_000);
});
