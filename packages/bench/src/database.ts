import { spawnSync } from 'node:child_process';

/** The database the bench gives the BFF: its own `console_bench`, made fresh on every run. */
export const BENCH_DATABASE = 'console_bench';

function has(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

function psql(url: string, sql: string): boolean {
  const result = spawnSync('psql', [url, '-v', 'ON_ERROR_STOP=1', '-tAc', sql], {
    encoding: 'utf8',
    timeout: 15_000,
  });
  return result.status === 0;
}

/** A server to try when no URL is given: the first local cluster (as scripts/run.mjs does). */
function localCluster(): string | undefined {
  if (!has('pg_lsclusters')) return undefined;
  const clusters = spawnSync('pg_lsclusters', ['--no-header'], { encoding: 'utf8' }).stdout.trim();
  const first = clusters.split('\n')[0]?.trim().split(/\s+/);
  if (!first || first.length < 4) return undefined;
  const [version = '', name = '', port = '', status] = first;
  const isRoot = process.getuid?.() === 0;
  if (status !== 'online') {
    if (!isRoot) return undefined;
    if (spawnSync('pg_ctlcluster', [version, name, 'start'], { stdio: 'ignore' }).status !== 0) {
      return undefined;
    }
  }
  if (isRoot) {
    const asPostgres = (sql: string) =>
      spawnSync('su', ['postgres', '-c', `psql -p ${port} -tAc "${sql}"`], { encoding: 'utf8' });
    if (asPostgres("SELECT 1 FROM pg_roles WHERE rolname='console'").stdout.trim() !== '1') {
      asPostgres("CREATE ROLE console LOGIN PASSWORD 'console' CREATEDB");
    }
  }
  return `postgres://console:console@127.0.0.1:${port}/postgres`;
}

/**
 * PostgreSQL for the BFF, from `BENCH_DATABASE_URL`, else `TEST_DATABASE_URL`, else the local
 * cluster. The bench makes its own database `console_bench` on that server (dropped first); when
 * it may not, it uses the given database as it is. `undefined`: no PostgreSQL, the BFF uses PGlite.
 */
export function benchDatabaseUrl(): { url: string; source: string } | undefined {
  const given = process.env.BENCH_DATABASE_URL
    ? { url: process.env.BENCH_DATABASE_URL, source: 'BENCH_DATABASE_URL' }
    : process.env.TEST_DATABASE_URL
      ? { url: process.env.TEST_DATABASE_URL, source: 'TEST_DATABASE_URL' }
      : undefined;
  const base = given ?? { url: localCluster() ?? '', source: 'local cluster' };
  if (!base.url || !has('psql')) return given;
  if (!psql(base.url, 'SELECT 1')) return given;
  const own = new URL(base.url);
  own.pathname = `/${BENCH_DATABASE}`;
  const fresh =
    psql(base.url, `DROP DATABASE IF EXISTS ${BENCH_DATABASE} WITH (FORCE)`) &&
    psql(base.url, `CREATE DATABASE ${BENCH_DATABASE}`);
  if (fresh) return { url: own.toString(), source: `${base.source}, database ${BENCH_DATABASE}` };
  return { url: base.url, source: base.source };
}
