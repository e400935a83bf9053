// A PostgreSQL for the benchmarks: PASIS_BENCH_DATABASE_URL, else PASIS_TEST_DATABASE_URL,
// else a private throwaway cluster (scripts/postgres-cluster.sh, the same as CI's), else
// the reason there is none. Each run gets a fresh database, dropped afterwards.
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const cluster = fileURLToPath(new URL('../../scripts/postgres-cluster.sh', import.meta.url));

async function admin(url, sql) {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** `{ url, close() }` of a fresh database, or `{ unavailable: reason }`. */
export async function benchDatabase() {
  let server = process.env.PASIS_BENCH_DATABASE_URL || process.env.PASIS_TEST_DATABASE_URL;
  let dir;
  if (!server) {
    try {
      const exports = execFileSync('bash', [cluster, 'start'], {
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'pipe'],
      });
      server = /PASIS_TEST_DATABASE_URL=(\S+)/.exec(exports)?.[1];
      dir = /PASIS_PG_DIR=(\S+)/.exec(exports)?.[1];
    } catch (error) {
      return {
        unavailable: `no PASIS_BENCH_DATABASE_URL and no local PostgreSQL to start (${String(error.stderr ?? error).trim()})`,
      };
    }
  }
  const name = `pasis_bench_${process.pid}`;
  await admin(server, `DROP DATABASE IF EXISTS ${name}`);
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return {
    url: url.href,
    async close() {
      await admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => {});
      if (dir) execFileSync('bash', [cluster, 'stop', dir], { stdio: 'ignore' });
    },
  };
}
