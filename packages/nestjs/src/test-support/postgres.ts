import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** A fresh PostgreSQL database for one suite, and how to drop it. */
export interface TestDatabase {
  url: string;
  drop(): Promise<void>;
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

/**
 * A fresh database on `PASIS_TEST_DATABASE_URL` (started by the project's globalSetup when
 * Debian's binaries are there), or `undefined` with a loud warning; under `CI=true` a
 * missing PostgreSQL is an error, never a skip.
 */
export async function postgresForTests(suite: string): Promise<TestDatabase | undefined> {
  const server = process.env.PASIS_TEST_DATABASE_URL;
  if (!server) {
    if (process.env.CI === 'true')
      throw new Error(`${suite}: PASIS_TEST_DATABASE_URL is not set under CI=true.`);
    console.warn(`\n⚠️  SKIPPED ${suite}: no PostgreSQL (PASIS_TEST_DATABASE_URL, or Debian's postgresql).\n`);
    return undefined;
  }
  const name = `pasis_nest_${process.pid}_${randomBytes(4).toString('hex')}`;
  await admin(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  return { url: url.href, drop: () => admin(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`) };
}
