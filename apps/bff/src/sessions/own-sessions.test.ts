import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestConsole, type Client, type TestConsole } from '../testing/harness.js';

let t: TestConsole;
beforeAll(async () => {
  t = await startTestConsole();
});
afterAll(async () => {
  await t.close();
});

const PASSWORD = 'correct horse battery';

async function newOperator(username: string): Promise<void> {
  const admin = await t.login('admin');
  await admin.stepUp();
  const answer = await admin.post('/api/operators', {
    username,
    password: PASSWORD,
    role: 'viewer',
  });
  expect(answer.status, answer.text).toBe(201);
}

async function loginWithAgent(username: string, password: string, agent: string): Promise<Client> {
  const client = t.anon();
  const answer = await client.request('POST', '/api/session', {
    body: { username, password },
    csrf: false,
    headers: { 'user-agent': agent },
  });
  expect(answer.status, answer.text).toBe(200);
  const setCookie = answer.headers['set-cookie'];
  client.cookie = (Array.isArray(setCookie) ? setCookie[0] : setCookie)?.split(';')[0];
  return client;
}

describe('SECURITY 11: an operator sees and ends its own sessions', () => {
  it('when an operator changes its password, then its other sessions end and this one stays', async () => {
    await newOperator('olga');
    const laptop = await loginWithAgent('olga', PASSWORD, 'Laptop browser');
    const phone = await loginWithAgent('olga', PASSWORD, 'Phone browser');
    const changed = await laptop.post('/api/me/password', {
      currentPassword: PASSWORD,
      newPassword: 'a brand new passphrase',
    });
    expect(changed.status, changed.text).toBe(204);
    expect((await phone.get('/api/session')).status).toBe(401);
    expect((await laptop.get('/api/session')).status).toBe(200);
  });

  it('when an operator lists its sessions, then each shows times, address, user agent and which is this one', async () => {
    await newOperator('pavel');
    const laptop = await loginWithAgent('pavel', PASSWORD, 'Laptop browser');
    await loginWithAgent('pavel', PASSWORD, 'Phone browser');
    const list = await laptop.get('/api/me/sessions');
    expect(list.status).toBe(200);
    const sessions = list.json.sessions as Record<string, unknown>[];
    expect(sessions).toHaveLength(2);
    const current = sessions.find((s) => s.current === true);
    expect(current).toMatchObject({ userAgent: 'Laptop browser', sourceIp: '127.0.0.1' });
    expect(Date.parse(String(current?.createdAt))).not.toBeNaN();
    expect(Date.parse(String(current?.lastSeenAt))).not.toBeNaN();
    expect(sessions.find((s) => !s.current)).toMatchObject({ userAgent: 'Phone browser' });
    // The list never gives out what a cookie is made of.
    expect(list.text).not.toContain(laptop.cookie?.split('=')[1]);
    const other = await t.login('viewer');
    expect(
      (await other.get('/api/me/sessions')).json.sessions.map(
        (s: { userAgent: string }) => s.userAgent,
      ),
    ).not.toContain('Laptop browser');
  });

  it('when an operator ends one session or all the others, then those cookies stop working and this one does not', async () => {
    await newOperator('quinn');
    const a = await loginWithAgent('quinn', PASSWORD, 'A');
    const b = await loginWithAgent('quinn', PASSWORD, 'B');
    const c = await loginWithAgent('quinn', PASSWORD, 'C');
    const sessions = (await a.get('/api/me/sessions')).json.sessions as {
      id: string;
      userAgent: string;
      current: boolean;
    }[];
    const bId = sessions.find((s) => s.userAgent === 'B')!.id;
    expect((await a.request('DELETE', `/api/me/sessions/${bId}`)).status).toBe(204);
    expect((await b.get('/api/session')).status).toBe(401);
    expect((await c.get('/api/session')).status).toBe(200);
    const own = sessions.find((s) => s.current)!.id;
    expect((await a.request('DELETE', `/api/me/sessions/${own}`)).status).toBe(409);
    const bad = await a.request('DELETE', '/api/me/sessions/not-an-id');
    expect(bad.status).toBe(400);

    const others = await a.request('DELETE', '/api/me/sessions');
    expect(others.json).toEqual({ ended: 1 });
    expect((await c.get('/api/session')).status).toBe(401);
    expect((await a.get('/api/session')).status).toBe(200);
    // Another operator's session id is not found, not ended.
    const viewer = await t.login('viewer');
    const viewerOwn = (await viewer.get('/api/me/sessions')).json.sessions[0].id as string;
    expect((await a.request('DELETE', `/api/me/sessions/${viewerOwn}`)).status).toBe(404);
    expect((await viewer.get('/api/session')).status).toBe(200);
  });
});
