import { randomBytes } from 'node:crypto';
import { PGlite } from '@electric-sql/pglite';
import pg from 'pg';

/** A fresh PostgreSQL database for one test suite, and how to get rid of it. */
export interface TestDatabase {
  /** The connection URL of the fresh database. */
  url: string;
  /** A new pool on it (ended by `drop`). Defaults keep a starved or dead pool from hanging a test. */
  pool(options?: pg.PoolConfig): pg.Pool;
  /** Ends every pool made here and drops the database. */
  drop(): Promise<void>;
}

/** How to start a PostgreSQL for the tests, shown whenever one is missing. */
const HOW = 'eval "$(scripts/postgres-cluster.sh start)" starts a throwaway one and exports the variable';

/**
 * The server of `PASIS_TEST_DATABASE_URL`, for a suite that decides at load time whether it
 * runs (`describe.runIf`). Without it: a loud warning and `undefined`, except under
 * `CI=true`, where a missing PostgreSQL is an error, never a skip.
 */
export function postgresForTests(suite: string): string | undefined {
  const base = process.env.PASIS_TEST_DATABASE_URL;
  if (base) return base;
  if (process.env.CI === 'true') {
    throw new Error(
      `${suite}: PASIS_TEST_DATABASE_URL is not set under CI=true (.ci/run starts a PostgreSQL).`,
    );
  }
  console.warn(`\n⚠️  SKIPPED ${suite}: no PASIS_TEST_DATABASE_URL (${HOW}).\n`);
  return undefined;
}

/**
 * A fresh database (its own name, dropped afterwards) on the server of
 * `PASIS_TEST_DATABASE_URL`, which `.ci/run` starts. Without that variable the suite is
 * skipped with a loud warning (`undefined`), except under `CI=true`, where a missing
 * PostgreSQL is an error, never a skip.
 */
export async function databaseForTests(suite: string): Promise<TestDatabase | undefined> {
  const base = postgresForTests(suite);
  if (!base) return undefined;
  const name = `pasis_test_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(base, `CREATE DATABASE ${name}`);
  const url = new URL(base);
  url.pathname = `/${name}`;
  const pools: pg.Pool[] = [];
  return {
    url: url.href,
    pool(options = {}) {
      const pool = new pg.Pool({
        connectionString: url.href,
        connectionTimeoutMillis: 10_000,
        max: 20,
        ...options,
      });
      // An idle client whose backend was terminated emits 'error' on the pool: expected in fault tests.
      pool.on('error', () => {});
      pools.push(pool);
      return pool;
    },
    async drop() {
      await Promise.all(pools.map((pool) => pool.end().catch(() => {})));
      await admin(base, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    },
  };
}

async function admin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

/** An in-memory PGlite for one test file (it takes a few seconds to start: share it). */
export async function pgliteForTests(): Promise<PGlite> {
  const db = new PGlite();
  await db.waitReady;
  return db;
}
