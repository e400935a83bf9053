import { randomBytes } from 'node:crypto';
import mysql from 'mysql2/promise';
import pg from 'pg';

/** A fresh database on a test server, and how to get rid of it. */
export interface TestDatabase {
  /** The connection URL of the fresh database. */
  url: string;
  /** Drops the database (after the suite closed its own clients). */
  drop(): Promise<void>;
}

const HOW = {
  postgres: "PASIS_TEST_DATABASE_URL (or Debian's postgresql, which the tests start)",
  mysql: "PASIS_TEST_MYSQL_URL (or Debian's mariadb-server, which the tests start)",
} as const;

/**
 * The server of `kind`, for a suite that decides at load time whether it runs. Without
 * one: a loud warning and `undefined`, except under `CI=true`, where a missing server is
 * an error, never a skip.
 */
export function serverFor(kind: 'postgres' | 'mysql', suite: string): string | undefined {
  const url = kind === 'postgres' ? process.env.PASIS_TEST_DATABASE_URL : process.env.PASIS_TEST_MYSQL_URL;
  if (url) return url;
  if (process.env.CI === 'true')
    throw new Error(`${suite}: no ${kind} server under CI=true: set ${HOW[kind]}.`);
  console.warn(`\n⚠️  SKIPPED ${suite}: no ${kind} server (${HOW[kind]}).\n`);
  return undefined;
}

/** A fresh database (its own name, dropped afterwards) on the server of `kind`, or `undefined` (skipped). */
export async function databaseFor(
  kind: 'postgres' | 'mysql',
  suite: string,
): Promise<TestDatabase | undefined> {
  const server = serverFor(kind, suite);
  if (!server) return undefined;
  const name = `pasis_sql_${process.pid}_${randomBytes(4).toString('hex')}`;
  const url = new URL(server);
  url.pathname = `/${name}`;
  if (kind === 'postgres') {
    await pgAdmin(server, `CREATE DATABASE ${name}`);
    return { url: url.href, drop: () => pgAdmin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
  }
  await mysqlAdmin(server, `CREATE DATABASE ${name}`);
  return { url: url.href, drop: () => mysqlAdmin(server, `DROP DATABASE IF EXISTS ${name}`) };
}

async function pgAdmin(url: string, sql: string): Promise<void> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 10_000 });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

async function mysqlAdmin(url: string, sql: string): Promise<void> {
  const connection = await mysql.createConnection({ uri: url, connectTimeout: 10_000 });
  try {
    await connection.query(sql);
  } finally {
    await connection.end();
  }
}

/**
 * A pg Pool for a test. An idle client whose backend is terminated (the suite's database
 * dropped WITH (FORCE) while a client is still closing) emits `error` on the pool: expected
 * here, and without a listener it would crash the test run.
 */
export function testPool(url: string, options: pg.PoolConfig = {}): pg.Pool {
  const pool = new pg.Pool({ connectionString: url, connectionTimeoutMillis: 10_000, ...options });
  pool.on('error', () => {});
  return pool;
}
