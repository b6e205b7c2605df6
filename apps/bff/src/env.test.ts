import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { EnvError, parseEnv } from './env.js';
import { loadServers } from './whm/servers.js';

function errorOf(source: Record<string, string>): EnvError {
  try {
    parseEnv(source);
  } catch (error) {
    if (error instanceof EnvError) return error;
    throw error;
  }
  throw new Error('parseEnv accepted it');
}

describe('env.ts', () => {
  it('when nothing is set, then the defaults are the documented ones and demo mode is loopback', () => {
    const env = parseEnv({});
    expect(env).toMatchObject({
      HOST: '127.0.0.1',
      PORT: 8080,
      DATA_DIR: './.data',
      WHM_SIM_PORT: 2087,
      WHM_SIM_ACCOUNTS: 200,
      WHM_SIM_LATENCY_MS: 0,
      CONSOLE_DEMO_PASSWORD: 'demo',
      TRUST_PROXY_HOPS: 0,
      SESSION_IDLE_MINUTES: 30,
      SESSION_ABSOLUTE_HOURS: 12,
    });
    expect(loadServers(env)).toEqual([]);
  });

  it('when a value is bad, then the error names the variable', () => {
    expect(errorOf({ PORT: 'eighty' }).variable).toBe('PORT');
    expect(errorOf({ PORT: '70000' }).variable).toBe('PORT');
    expect(errorOf({ DATABASE_URL: 'mysql://x' }).variable).toBe('DATABASE_URL');
    expect(errorOf({ WHM_URL: 'ftp://whm' }).variable).toBe('WHM_URL');
    expect(errorOf({ WHM_URL: 'https://whm.example:2087' }).variable).toBe('WHM_USER');
    expect(errorOf({ WHM_URL: 'https://whm.example:2087', WHM_USER: 'root' }).variable).toBe(
      'WHM_TOKEN',
    );
    expect(errorOf({ SESSION_IDLE_MINUTES: '0' }).message).toContain('SESSION_IDLE_MINUTES');
  });

  it('when trust proxy is set to true, then it is refused: only a hop count is allowed (SECURITY 22)', () => {
    expect(errorOf({ TRUST_PROXY_HOPS: 'true' }).variable).toBe('TRUST_PROXY_HOPS');
    expect(parseEnv({ TRUST_PROXY_HOPS: '1' }).TRUST_PROXY_HOPS).toBe(1);
  });

  it('when demo mode would bind a public address, then start-up stops', () => {
    expect(errorOf({ HOST: '0.0.0.0' }).variable).toBe('HOST');
    expect(
      parseEnv({
        HOST: '0.0.0.0',
        WHM_URL: 'https://whm.example:2087',
        WHM_USER: 'root',
        WHM_TOKEN: 't',
      }).HOST,
    ).toBe('0.0.0.0');
  });

  it('when WHM comes from the env or a file, then tokens are read from there (SECURITY 1)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'bff-env-'));
    writeFileSync(join(dir, 'token'), 'FILETOKEN\n');
    writeFileSync(join(dir, 'ca.pem'), '-----BEGIN CERTIFICATE-----\n');
    const single = loadServers(
      parseEnv({
        WHM_URL: 'https://whm.example:2087',
        WHM_USER: 'root',
        WHM_TOKEN_FILE: join(dir, 'token'),
        WHM_CA_FILE: join(dir, 'ca.pem'),
      }),
    );
    expect(single).toMatchObject([
      {
        id: 'main',
        url: 'https://whm.example:2087',
        user: 'root',
        token: 'FILETOKEN',
        demo: false,
      },
    ]);
    expect(single[0]!.ca).toContain('BEGIN CERTIFICATE');
    writeFileSync(
      join(dir, 'servers.json'),
      JSON.stringify([
        {
          id: 'eu1',
          label: 'EU 1',
          url: 'https://eu1.example:2087',
          user: 'root',
          tokenFile: 'token',
        },
        {
          id: 'us1',
          label: 'US 1',
          url: 'https://us1.example:2087',
          user: 'reseller',
          tokenFile: 'token',
          caFile: 'ca.pem',
        },
      ]),
    );
    const many = loadServers(parseEnv({ WHM_SERVERS_FILE: join(dir, 'servers.json') }));
    expect(many.map((s) => s.id)).toEqual(['eu1', 'us1']);
    expect(many[1]!.ca).toBeDefined();
    writeFileSync(
      join(dir, 'bad.json'),
      JSON.stringify([
        { id: 'x', label: 'x', url: 'https://x/path', user: 'root', tokenFile: 'token' },
      ]),
    );
    expect(() => loadServers(parseEnv({ WHM_SERVERS_FILE: join(dir, 'bad.json') }))).toThrow(
      /origin/,
    );
    expect(() =>
      loadServers(
        parseEnv({
          WHM_URL: 'https://whm.example:2087',
          WHM_USER: 'root',
          WHM_TOKEN_FILE: join(dir, 'missing'),
        }),
      ),
    ).toThrow(EnvError);
  });
});
