import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from '../env.js';
import { TestBrowser, freePort, type Page } from '../testing/browser.js';
import { Client, startTestConsole, type TestConsole } from '../testing/harness.js';
import { startTestOidcProvider, type TestOidcProvider } from '../testing/oidc-provider.js';
import { roleFor, safeReturnPath, usernameFor } from './sso-service.js';

const ROLE_MAP = 'it-admins=admin,helpdesk=support,staff=viewer';

let provider: TestOidcProvider;
let harness: TestConsole;
let consoleUrl: string;
/** Added to the console's clock; the provider keeps real time. */
let clockOffset = 0;

beforeAll(async () => {
  const port = await freePort();
  consoleUrl = `http://127.0.0.1:${port}`;
  provider = await startTestOidcProvider({
    redirectUris: [`${consoleUrl}/api/sso/callback`],
    people: {
      alice: ['helpdesk'],
      bob: ['staff', 'it-admins'],
      carol: ['marketing'],
      admin: ['it-admins'],
      dave: ['staff'],
    },
  });
  harness = await startTestConsole({
    clock: () => Date.now() + clockOffset,
    env: {
      PORT: String(port),
      OIDC_ISSUER: provider.issuer,
      OIDC_CLIENT_ID: provider.clientId,
      OIDC_CLIENT_SECRET: provider.clientSecret,
      OIDC_REDIRECT_URI: `${consoleUrl}/api/sso/callback`,
      OIDC_ROLE_MAP: ROLE_MAP,
      OIDC_LABEL: 'Example ID',
    },
  });
});

afterAll(async () => {
  await harness?.close();
  await provider?.close();
});

const fromConsole = (url: string) => url.startsWith(consoleUrl);
/** Every browser a test used, for the last check: what passed through them. */
const browsers = new Set<TestBrowser>();

/** The console's button: its start answer, the provider's URL it sends the browser to. */
async function startAt(browser: TestBrowser, intent = 'sign-in', returnTo?: string) {
  const query = new URLSearchParams({ intent, ...(returnTo ? { return: returnTo } : {}) });
  const start = await browser.fetch(`${consoleUrl}/api/sso/start?${query.toString()}`, {
    headers: { 'sec-fetch-site': 'same-origin' },
  });
  return start;
}

/**
 * From the console's button through the provider's login form back to the console's callback;
 * returns the callback URL (not yet opened) and what opening it answered.
 */
async function throughProvider(
  browser: TestBrowser,
  login: string,
  intent = 'sign-in',
  returnTo?: string,
): Promise<{ callback: string; landed: Response }> {
  const start = await startAt(browser, intent, returnTo);
  browsers.add(browser);
  expect(start.status).toBe(303);
  const authorize = start.headers.get('location') ?? '';
  expect(authorize.startsWith(provider.issuer)).toBe(true);
  let page: Page = await browser.go(authorize, {}, fromConsole);
  // The provider's pages: its login form, and the form its script posts at once when another
  // person signs in over a session (ending the last one), as a browser would post it.
  for (let step = 0; page.status !== 0 && step < 4; step += 1) {
    const isLogin = page.text.includes('name="login"');
    page = await browser.submitForm(
      page,
      isLogin ? { login, password: 'any password' } : {},
      fromConsole,
    );
  }
  expect(page.status, page.text.slice(0, 2000)).toBe(0);
  expect(page.url.startsWith(`${consoleUrl}/api/sso/callback?`)).toBe(true);
  const landed = await browser.fetch(page.url);
  return { callback: page.url, landed };
}

function clientFrom(browser: TestBrowser): Client {
  const value = browser.cookie(consoleUrl, 'console_session');
  return new Client(harness, value === undefined ? undefined : `console_session=${value}`);
}

async function auditOf(username: string) {
  const admin = await harness.login('admin');
  const answer = await admin.get(`/api/audit?operator=${username}`);
  expect(answer.status).toBe(200);
  return answer.json.records as {
    kind: string;
    outcome: string;
    detail: Record<string, unknown>;
  }[];
}

describe('operator single sign-on against a real OpenID provider', () => {
  it('when SSO is configured, the sign-in page offers it by its label', async () => {
    const info = await harness.anon().get('/api/sign-in');
    expect(info.json.sso).toEqual({ label: 'Example ID' });
  });

  it('when a person in a mapped group signs in, an operator with that role is made and signed in', async () => {
    const browser = new TestBrowser();
    const { landed } = await throughProvider(browser, 'alice');
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/');
    const session = await clientFrom(browser).get('/api/session');
    expect(session.status).toBe(200);
    expect(session.json.operator).toMatchObject({ username: 'alice', role: 'support', sso: true });
    // Signed in at the provider a moment ago: that counts as a step-up, for 5 minutes from then.
    expect(session.json.stepUpUntil).not.toBeNull();
    const records = await auditOf('alice');
    expect(records.some((r) => r.kind === 'operator' && r.detail.action === 'create')).toBe(true);
    expect(
      records.some(
        (r) => r.kind === 'session' && r.outcome === 'success' && r.detail.method === 'sso',
      ),
    ).toBe(true);
  });

  it('when a person is in several mapped groups, the highest role wins; a later sign-in follows the groups', async () => {
    const first = new TestBrowser();
    await throughProvider(first, 'bob');
    expect((await clientFrom(first).get('/api/session')).json.operator.role).toBe('admin');

    provider.people.set('bob', ['staff']);
    const second = new TestBrowser();
    await throughProvider(second, 'bob');
    expect((await clientFrom(second).get('/api/session')).json.operator.role).toBe('viewer');
    // The session opened as an admin ended with the role.
    expect((await clientFrom(first).get('/api/session')).status).toBe(401);
    const operators = await (await harness.login('admin')).get('/api/operators');
    const bobs = operators.json.operators.filter((o: { username: string }) => o.username === 'bob');
    expect(bobs).toHaveLength(1);
  });

  it('when a person is in no mapped group, they are refused with a reason and no operator is made', async () => {
    const browser = new TestBrowser();
    const { landed } = await throughProvider(browser, 'carol');
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/login?sso_error=no_role');
    expect(browser.cookie(consoleUrl, 'console_session')).toBeUndefined();
    const operators = await (await harness.login('admin')).get('/api/operators');
    expect(operators.json.operators.map((o: { username: string }) => o.username)).not.toContain(
      'carol',
    );
    const records = await auditOf('carol');
    expect(records.some((r) => r.outcome === 'failure' && r.detail.code === 'no_role')).toBe(true);
  });

  it('when the provider names someone like a local operator, the local one is not taken over', async () => {
    const browser = new TestBrowser();
    const { landed } = await throughProvider(browser, 'admin');
    expect(landed.headers.get('location')).toBe('/login?sso_error=username_taken');
    expect(browser.cookie(consoleUrl, 'console_session')).toBeUndefined();
  });

  it('when the callback is opened again, or in another browser, or with another state, nobody is signed in', async () => {
    const browser = new TestBrowser();
    const { callback, landed } = await throughProvider(browser, 'dave');
    expect(landed.status).toBe(303);
    expect(landed.headers.get('location')).toBe('/');

    const replay = await new TestBrowser().fetch(callback);
    expect(replay.headers.get('location')).toBe('/login?sso_error=flow_unknown');
    expect(replay.headers.getSetCookie().some((c) => c.startsWith('console_session=x'))).toBe(
      false,
    );

    // A victim's browser handed an attacker's callback: the flow cookie is the victim's, not its.
    const attacker = new TestBrowser();
    const start = await startAt(attacker);
    let page = await attacker.go(start.headers.get('location') ?? '', {}, fromConsole);
    page = await attacker.submitForm(page, { login: 'dave', password: 'x' }, fromConsole);
    const victim = new TestBrowser();
    await startAt(victim);
    const crossed = await victim.fetch(page.url);
    expect(crossed.headers.get('location')).toBe('/login?sso_error=flow_unknown');
    expect(victim.cookie(consoleUrl, 'console_session')).toBeUndefined();

    const forged = new URL(page.url);
    forged.searchParams.set('state', 'not-the-state');
    const tampered = await attacker.fetch(forged.href);
    expect(tampered.headers.get('location')).toBe('/login?sso_error=flow_unknown');
  });

  it('when a flow is begun from another site, it is not begun', async () => {
    const answer = await new TestBrowser().fetch(`${consoleUrl}/api/sso/start?intent=sign-in`, {
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    expect(answer.status).toBe(303);
    expect(answer.headers.get('location')).toBe('/login?sso_error=flow_unknown');
  });

  it('when an SSO operator steps up, the provider asks again and the session may then do guarded things', async () => {
    provider.people.set('bob', ['it-admins']);
    const browser = new TestBrowser();
    await throughProvider(browser, 'bob');
    const bob = clientFrom(browser);
    // A console password it does not have cannot be the proof.
    const byPassword = await bob.post('/api/session/step-up', { password: 'anything at all' });
    expect(byPassword.status).toBe(403);
    expect(byPassword.json.code).toBe('sso_required');
    // Wait until the sign-in is no longer fresh enough to count (it may have counted).
    const before = (await bob.get('/api/session')).json;
    const { landed } = await throughProvider(browser, 'bob', 'step-up', '/policy');
    expect(landed.headers.get('location')).toBe('/policy');
    const after = (await bob.get('/api/session')).json;
    expect(after.stepUpUntil).not.toBeNull();
    if (before.stepUpUntil !== null) {
      expect(Date.parse(after.stepUpUntil)).toBeGreaterThan(Date.parse(before.stepUpUntil));
    }
    // The step-up asked for a new login at the provider: the form was shown again.
    expect(browser.visited.filter((url) => url.includes('/interaction/')).length).toBeGreaterThan(
      2,
    );
    const disable = await bob.whmWrite('twofactorauth_disable_policy', {});
    expect(disable.status).toBe(200);
  });

  it('when the sign-in at the provider is older than a step-up lasts, the session gets none from it', async () => {
    clockOffset = 6 * 60_000;
    try {
      const browser = new TestBrowser();
      await throughProvider(browser, 'dave');
      const session = (await clientFrom(browser).get('/api/session')).json;
      expect(session.operator.username).toBe('dave');
      expect(session.stepUpUntil).toBeNull();
      // A step-up whose sign-in at the provider happened before the step-up began is refused.
      const { landed } = await throughProvider(browser, 'dave', 'step-up', '/operators');
      expect(landed.headers.get('location')).toBe('/operators?sso_error=not_fresh');
      expect((await clientFrom(browser).get('/api/session')).json.stepUpUntil).toBeNull();
    } finally {
      clockOffset = 0;
    }
  });

  it('when another person confirms a step-up at the provider, the session gets none', async () => {
    const browser = new TestBrowser();
    await throughProvider(browser, 'alice');
    const alice = clientFrom(browser);
    const before = (await alice.get('/api/session')).json.stepUpUntil;
    // The provider's session switches to dave in the middle (the same browser).
    const { landed } = await throughProvider(browser, 'dave', 'step-up', '/accounts');
    expect(landed.headers.get('location')).toBe('/accounts?sso_error=wrong_person');
    // Whatever step-up alice held came from her own sign-in; dave's gave her none.
    expect((await alice.get('/api/session')).json.stepUpUntil).toBe(before);
    const records = await auditOf('alice');
    expect(records.some((r) => r.outcome === 'failure' && r.detail.code === 'wrong_person')).toBe(
      true,
    );
  });

  it('when every flow above has run, the client secret is in no URL, log line or answer (SECURITY 27)', () => {
    const secret = provider.clientSecret;
    const urls = [...browsers].flatMap((browser) => browser.visited);
    expect(urls.length).toBeGreaterThan(20);
    expect(urls.filter((url) => url.includes(secret))).toEqual([]);
    expect(harness.logs.filter((line) => line.includes(secret))).toEqual([]);
    expect(harness.responses.filter((text) => text.includes(secret))).toEqual([]);
  });

  it('when console passwords are for admins only, support and viewers must use SSO and admins still can', async () => {
    const admin = await harness.login('admin');
    await admin.stepUp();
    const on = await admin.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: false, localSignInAdminsOnly: true },
    });
    expect(on.status).toBe(200);
    expect(on.json).toMatchObject({ localSignInAdminsOnly: true, ssoConfigured: true });
    const support = await harness.anon().request('POST', '/api/session', {
      body: { username: 'support', password: 'demo-password-for-tests' },
      csrf: false,
    });
    expect(support.status).toBe(403);
    expect(support.json.code).toBe('sso_required');
    await expect(harness.login('admin')).resolves.toBeDefined();
    // Turning it off lets everyone back in with a password: that weakens, so it needs step-up.
    const fresh = await harness.login('admin');
    const off = await fresh.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: false, localSignInAdminsOnly: false },
    });
    expect(off.status).toBe(401);
    expect(off.json.code).toBe('step_up_required');
    await fresh.stepUp();
    const offAgain = await fresh.request('PUT', '/api/settings', {
      body: { requireOperatorTotp: false, localSignInAdminsOnly: false },
    });
    expect(offAgain.status).toBe(200);
    await expect(harness.login('support')).resolves.toBeDefined();
  });
});

describe('single sign-on settings and rules', () => {
  const base = {
    OIDC_ISSUER: 'https://id.example.com',
    OIDC_CLIENT_ID: 'console',
    OIDC_REDIRECT_URI: 'https://console.example.com/api/sso/callback',
    OIDC_ROLE_MAP: ROLE_MAP,
  };

  it('when half configured, start-up names the missing or bad variable', () => {
    const bad = (env: Record<string, string>) => {
      try {
        parseEnv(env);
      } catch (error) {
        return error instanceof EnvError ? error.variable : 'not an EnvError';
      }
      return 'accepted';
    };
    expect(bad({ ...base, OIDC_CLIENT_ID: '' })).toBe('OIDC_CLIENT_ID');
    expect(bad({ ...base, OIDC_REDIRECT_URI: '' })).toBe('OIDC_REDIRECT_URI');
    expect(bad({ ...base, OIDC_ROLE_MAP: '' })).toBe('OIDC_ROLE_MAP');
    expect(bad({ ...base, OIDC_ROLE_MAP: 'helpdesk=superuser' })).toBe('OIDC_ROLE_MAP');
    expect(bad({ ...base, OIDC_ISSUER: 'http://id.example.com' })).toBe('OIDC_ISSUER');
    expect(bad({ OIDC_CLIENT_ID: 'console' })).toBe('OIDC_CLIENT_ID');
    expect(bad(base)).toBe('accepted');
  });

  it('maps groups to the highest role, and nothing else to any', () => {
    const map = new Map([
      ['helpdesk', 'support'],
      ['it-admins', 'admin'],
    ] as const);
    expect(roleFor(['helpdesk', 'it-admins'], new Map(map))).toBe('admin');
    expect(roleFor('helpdesk', new Map(map))).toBe('support');
    expect(roleFor(['HELPDESK', { name: 'it-admins' }], new Map(map))).toBeNull();
    expect(roleFor(undefined, new Map(map))).toBeNull();
  });

  it('makes console usernames from the claims, and return paths stay inside the console', () => {
    expect(usernameFor({ preferred_username: 'Alice.Smith@Example.com' })).toBe(
      'alice.smith-example.com',
    );
    expect(usernameFor({ sub: '1234', email: '9@x' })).toBeNull();
    expect(safeReturnPath('/policy?x=1')).toBe('/policy?x=1');
    expect(safeReturnPath('//evil.example')).toBe('/');
    expect(safeReturnPath('https://evil.example')).toBe('/');
    expect(safeReturnPath('/api/session')).toBe('/');
  });
});
