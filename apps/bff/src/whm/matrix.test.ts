import { catalogue } from '@console/whm-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';
import { whmAccess } from './access.js';

let t: TestConsole;
const clients: Record<string, Client> = {};
beforeAll(async () => {
  t = await startTestConsole();
  for (const role of ['viewer', 'support', 'admin']) clients[role] = await t.login(role);
});
afterAll(async () => {
  await t.close();
});

const roles = ['viewer', 'support', 'admin'] as const;
const methods = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'] as const;
const functions = [...Object.keys(catalogue), 'listpkgs', 'createacct', 'version', 'LISTACCTS'];

/** DESIGN.md's table, written out again so a change to access.ts must be deliberate. */
const expected: Record<string, { method: string; roles: string[] }> = {
  twofactorauth_policy_status: { method: 'GET', roles: ['viewer', 'support', 'admin'] },
  twofactorauth_get_issuer: { method: 'GET', roles: ['viewer', 'support', 'admin'] },
  twofactorauth_get_user_configs: { method: 'GET', roles: ['viewer', 'support', 'admin'] },
  listaccts: { method: 'GET', roles: ['viewer', 'support', 'admin'] },
  listresellers: { method: 'GET', roles: ['viewer', 'support', 'admin'] },
  twofactorauth_remove_user_config: { method: 'POST', roles: ['support', 'admin'] },
  twofactorauth_enable_policy: { method: 'POST', roles: ['admin'] },
  twofactorauth_disable_policy: { method: 'POST', roles: ['admin'] },
  twofactorauth_set_issuer: { method: 'POST', roles: ['admin'] },
  twofactorauth_generate_tfa_config: { method: 'POST', roles: ['admin'] },
  twofactorauth_set_tfa_config: { method: 'POST', roles: ['admin'] },
};

describe('SECURITY 5: the role × function × method matrix', () => {
  it('when the allowlist is read, then it is exactly DESIGN.md’s table', () => {
    const actual = Object.fromEntries(
      Object.entries(whmAccess).map(([name, access]) => [
        name,
        { method: access.method, roles: [...access.roles].sort() },
      ]),
    );
    const table = Object.fromEntries(
      Object.entries(expected).map(([name, row]) => [
        name,
        { ...row, roles: [...row.roles].sort() },
      ]),
    );
    expect(actual).toEqual(table);
  });

  for (const role of roles) {
    for (const fn of functions) {
      for (const method of methods) {
        const row = expected[fn];
        const status = !row
          ? 404
          : method !== row.method
            ? 405
            : !row.roles.includes(role)
              ? 403
              : method === 'GET'
                ? 200
                : 400;
        it(`when ${role} sends ${method} ${fn}, then the answer is ${status}${status === 400 ? ' (role passed; bogus params refused)' : ''}`, async () => {
          const simulator = t.running.simulator!;
          const before = simulator.calls.count();
          const client = clients[role]!;
          const path = `/api/servers/local/whm/${fn}${method === 'GET' && fn === 'listaccts' ? '?want=user' : ''}`;
          const answer = await client.request(
            method,
            path,
            method === 'GET' ? {} : { body: { bogus: 1 } },
          );
          expect(answer.status, answer.text).toBe(status);
          const upstreamCalls = simulator.calls.count() - before;
          if (status === 200) expect(upstreamCalls).toBe(1);
          else expect(upstreamCalls).toBe(0);
          if (status === 405) expect(answer.headers.allow).toBe(row?.method);
          const code = {
            404: 'unknown_function',
            405: 'method_not_allowed',
            403: 'forbidden',
            400: 'invalid_params',
          }[status as 404];
          if (status !== 200) expect(answer.json.code).toBe(code);
        });
      }
    }
  }
});

describe('DESIGN.md: the order of checks on the WHM route', () => {
  it('when several checks fail at once, then the first in the documented order answers', async () => {
    const anon = t.anon();
    expect(
      (await anon.request('POST', '/api/servers/local/whm/nope', { csrf: false })).status,
    ).toBe(401);
    const viewer = clients.viewer!;
    expect(
      (await viewer.request('POST', '/api/servers/local/whm/nope', { csrf: false })).json.code,
    ).toBe('csrf_required');
    expect(
      (await viewer.request('PUT', '/api/servers/nowhere/whm/nope', { body: {} })).json.code,
    ).toBe('unknown_server');
    expect(
      (await viewer.request('PUT', '/api/servers/local/whm/nope', { body: {} })).json.code,
    ).toBe('unknown_function');
    expect(
      (await viewer.request('POST', '/api/servers/local/whm/listaccts', { body: { bad: 1 } })).json
        .code,
    ).toBe('method_not_allowed');
    expect(
      (await viewer.post('/api/servers/local/whm/twofactorauth_enable_policy', { bad: 1 })).json
        .code,
    ).toBe('forbidden');
    const support = clients.support!;
    expect(
      (await support.whmWrite('twofactorauth_remove_user_config', { user: 'root' })).json.code,
    ).toBe('forbidden');
    const admin = clients.admin!;
    expect((await admin.whmWrite('twofactorauth_disable_policy', { bad: 1 })).json.code).toBe(
      'invalid_params',
    );
    expect((await admin.whmWrite('twofactorauth_disable_policy', {})).json.code).toBe(
      'step_up_required',
    );
  });

  it('when support targets a reseller, then it is forbidden without calling remove; admin may', async () => {
    const simulator = t.running.simulator!;
    const owners = new Set(simulator.accounts().map((a) => a.owner));
    const reseller = simulator.accounts().find((a) => owners.has(a.user) && a.user !== 'root');
    expect(reseller, 'the simulator seeds a reseller that owns accounts').toBeDefined();
    const ordinary = simulator.accounts().find((a) => !owners.has(a.user) && !a.reseller)!;
    const support = clients.support!;
    await support.stepUp();
    const before = simulator.calls.count('twofactorauth_remove_user_config');
    const denied = await support.whmWrite('twofactorauth_remove_user_config', {
      user: [ordinary.user, reseller!.user],
      reason: 'ticket 9: lost phone',
    });
    expect(denied.status).toBe(403);
    expect(denied.json.code).toBe('forbidden');
    expect(simulator.calls.count('twofactorauth_remove_user_config')).toBe(before);

    const admin = clients.admin!;
    await admin.stepUp();
    const allowed = await admin.whmWrite('twofactorauth_remove_user_config', {
      user: reseller!.user,
      reason: 'ticket 10: reseller lost phone',
    });
    expect(allowed.status, allowed.text).toBe(200);
  });

  it('when a request is denied, then an audit record of kind denied names the operator and the code', async () => {
    // A viewer of its own: the matrix's viewer is past the denials recorded per minute (denials.ts).
    await clients.admin!.stepUp();
    const password = 'a long enough password';
    const created = await clients.admin!.post('/api/operators', {
      username: 'denied-viewer',
      password,
      role: 'viewer',
    });
    expect(created.status, created.text).toBeLessThan(300);
    const viewer = await t.login('denied-viewer', password);
    await viewer.post('/api/servers/local/whm/twofactorauth_set_issuer', { issuer: 'x' });
    const audit = await clients.admin!.get(
      '/api/audit?operator=denied-viewer&function=twofactorauth_set_issuer',
    );
    expect(audit.json.records[0]).toMatchObject({
      kind: 'denied',
      operator: 'denied-viewer',
      role: 'viewer',
      function: 'twofactorauth_set_issuer',
      detail: { code: 'forbidden' },
    });
  });
});
