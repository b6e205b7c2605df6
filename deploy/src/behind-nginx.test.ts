import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Agent, request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { freePort, repoRoot, runCommand, startProcess, type Running } from './processes.js';

/**
 * docs/deploy.md, "Behind nginx with TLS": the repository's nginx config in front of the console
 * started as the systemd unit starts it (`scripts/run.mjs serve`), on a WHM (the simulator in its
 * own process), with an operator made by the operators CLI. Debian's nginx, a real certificate.
 */
const NGINX = '/usr/sbin/nginx';
const SERVER_NAME = 'console.example.com';
const PASSWORD = 'a-deploy-test-password';
const SPOOFED = '203.0.113.9';

let work: string;
let sim: Running;
let console_: Running;
let nginx: Running;
let tlsUrl: string;
let plainUrl: string;
let agent: Agent;

/** The repository's server blocks with this test's ports and files in place of the examples. */
function nginxConfig(consolePort: number, tlsPort: number, plainPort: number): string {
  const site = readFileSync(join(repoRoot, 'deploy/nginx/twofactor-console.conf'), 'utf8')
    .replace('server 127.0.0.1:8080;', `server 127.0.0.1:${consolePort};`)
    .replace(/^\s*listen \[::\].*$/gm, '')
    .replace('listen 80;', `listen 127.0.0.1:${plainPort};`)
    .replace('listen 443 ssl http2;', `listen 127.0.0.1:${tlsPort} ssl http2;`)
    .replace('/etc/ssl/twofactor-console/fullchain.pem', join(work, 'fullchain.pem'))
    .replace('/etc/ssl/twofactor-console/privkey.pem', join(work, 'privkey.pem'));
  const asRoot = process.getuid?.() === 0;
  return `${asRoot ? 'user root;' : ''}
worker_processes 1;
pid ${join(work, 'nginx.pid')};
error_log ${join(work, 'nginx-error.log')} warn;
events { worker_connections 64; }
http {
  access_log off;
  client_body_temp_path ${join(work, 'nginx-body')};
  proxy_temp_path ${join(work, 'nginx-proxy')};
  fastcgi_temp_path ${join(work, 'nginx-fastcgi')};
  uwsgi_temp_path ${join(work, 'nginx-uwsgi')};
  scgi_temp_path ${join(work, 'nginx-scgi')};
${site}
}
`;
}

async function answers(url: string, headers: Record<string, string> = {}): Promise<boolean> {
  const response = await request(url, { headers });
  await response.body.dump();
  return response.statusCode < 500;
}

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), 'console-deploy-'));
  const simPort = await freePort();
  const consolePort = await freePort();
  const tlsPort = await freePort();
  const plainPort = await freePort();
  const simToken = 'DEPLOYTESTTOKEN0123456789ABCDEF';
  sim = await startProcess(
    process.execPath,
    [
      'apps/whm-sim/dist/cli.js',
      '--port',
      String(simPort),
      '--token',
      simToken,
      '--accounts',
      '20',
      '--state',
      join(work, 'sim.json'),
    ],
    {
      ready: () =>
        answers(`http://127.0.0.1:${simPort}/json-api/twofactorauth_policy_status?api.version=1`, {
          authorization: `whm root:${simToken}`,
        }),
    },
  );

  // As the guide has them: the key with openssl, the token in a file, the settings in env.
  const key = runCommand('openssl', ['rand', '-hex', '32']);
  expect(key.status).toBe(0);
  writeFileSync(join(work, 'audit.key'), key.stdout, { mode: 0o600 });
  writeFileSync(join(work, 'whm.token'), simToken, { mode: 0o600 });
  const env = {
    HOST: '127.0.0.1',
    PORT: String(consolePort),
    DATA_DIR: join(work, 'data'),
    WHM_URL: `http://127.0.0.1:${simPort}`,
    WHM_USER: 'root',
    WHM_TOKEN_FILE: join(work, 'whm.token'),
    AUDIT_KEY_FILE: join(work, 'audit.key'),
    TRUST_PROXY_HOPS: '1',
    LOG_LEVEL: 'warn',
  };
  const added = runCommand('npm', ['run', '-s', 'operators', '--', 'add', 'admin', 'admin'], {
    env,
    input: `${PASSWORD}\n`,
  });
  expect(added.stderr + added.stdout).toContain('added admin (admin)');
  expect(added.status).toBe(0);

  console_ = await startProcess(process.execPath, ['scripts/run.mjs', 'serve'], {
    env,
    ready: () => answers(`http://127.0.0.1:${consolePort}/login`),
  });

  const cert = runCommand('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '2',
    '-subj',
    `/CN=${SERVER_NAME}`,
    '-addext',
    `subjectAltName=DNS:${SERVER_NAME}`,
    '-keyout',
    join(work, 'privkey.pem'),
    '-out',
    join(work, 'fullchain.pem'),
  ]);
  expect(cert.status, cert.stderr).toBe(0);
  for (const dir of ['nginx-body', 'nginx-proxy', 'nginx-fastcgi', 'nginx-uwsgi', 'nginx-scgi']) {
    mkdirSync(join(work, dir));
  }
  const confFile = join(work, 'nginx.conf');
  writeFileSync(confFile, nginxConfig(consolePort, tlsPort, plainPort));
  const checked = runCommand(NGINX, ['-t', '-p', work, '-c', confFile]);
  expect(checked.status, checked.stderr).toBe(0);

  agent = new Agent({
    connect: { ca: readFileSync(join(work, 'fullchain.pem')), servername: SERVER_NAME },
  });
  tlsUrl = `https://127.0.0.1:${tlsPort}`;
  plainUrl = `http://127.0.0.1:${plainPort}`;
  nginx = await startProcess(NGINX, ['-p', work, '-c', confFile, '-g', 'daemon off;'], {
    ready: async () => {
      const response = await request(`${tlsUrl}/login`, { dispatcher: agent });
      await response.body.dump();
      return response.statusCode === 200;
    },
  });
}, 180_000);

afterAll(async () => {
  await nginx?.stop();
  await console_?.stop();
  await sim?.stop();
  await agent?.close();
  rmSync(work, { recursive: true, force: true });
});

describe('the console behind nginx with TLS, as docs/deploy.md sets it up', () => {
  it('when a browser comes over plain HTTP, then nginx sends it to HTTPS', async () => {
    const response = await request(`${plainUrl}/accounts`, { headers: { host: SERVER_NAME } });
    await response.body.dump();
    expect(response.statusCode).toBe(301);
    expect(response.headers.location).toBe(`https://${SERVER_NAME}/accounts`);
  });

  it('when a page comes through nginx over TLS, then the console knows it is TLS and sends HSTS', async () => {
    const response = await request(`${tlsUrl}/login`, { dispatcher: agent });
    await response.body.dump();
    expect(response.statusCode).toBe(200);
    expect(response.headers['strict-transport-security']).toMatch(/^max-age=\d+/);
    expect(response.headers['x-frame-options']).toBe('DENY');
  });

  it('when an operator signs in through nginx with a forged X-Forwarded-For, then the cookie is Secure and the session records the real address', async () => {
    const login = await request(`${tlsUrl}/api/session`, {
      dispatcher: agent,
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': SPOOFED },
      body: JSON.stringify({ username: 'admin', password: PASSWORD }),
    });
    const loginText = await login.body.text();
    expect(login.statusCode, loginText).toBe(200);
    const setCookie = String(login.headers['set-cookie']);
    expect(setCookie).toMatch(/^__Host-console_session=[^;]+;/);
    expect(setCookie).toMatch(/; Secure/);

    const cookie = setCookie.split(';')[0] ?? '';
    const sessions = await request(`${tlsUrl}/api/me/sessions`, {
      dispatcher: agent,
      headers: { cookie, 'x-csrf': '1', 'x-forwarded-for': SPOOFED },
    });
    const text = await sessions.body.text();
    expect(sessions.statusCode, text).toBe(200);
    const body = JSON.parse(text) as { sessions: { sourceIp: string }[] };
    expect(body.sessions.map((s) => s.sourceIp)).toEqual(['127.0.0.1']);
  });
});
