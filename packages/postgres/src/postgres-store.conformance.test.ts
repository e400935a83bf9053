import type { PGlite } from '@electric-sql/pglite';
import { describeStoreConformance } from '@pasis/core/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, it } from 'vitest';
import { createPostgresStore, type PostgresTransaction } from './index.js';
import { databaseForTests, pgliteForTests, type TestDatabase } from './test-support/database.js';

// Short, so the waiting tests stay quick; the suite only asserts its lower bound.
const lockTimeoutMs = 400;
const WRITES = 'CREATE TABLE IF NOT EXISTS conformance_writes (value text PRIMARY KEY)';
const write = (tx: PostgresTransaction<unknown>, value: string) =>
  tx.query('INSERT INTO conformance_writes (value) VALUES ($1)', [value]).then(() => {});

const database: TestDatabase | undefined = await databaseForTests('PostgreSQL store conformance');

describe.runIf(database !== undefined)('the PostgreSQL store on a pg Pool', () => {
  let pool: pg.Pool;
  beforeAll(async () => {
    pool = database!.pool({ max: 25 });
    await createPostgresStore({ db: pool }).migrate();
    await pool.query(WRITES);
  });
  afterAll(() => database!.drop());

  describeStoreConformance({
    describe,
    it,
    name: 'createPostgresStore (pg)',
    kind: 'transactional',
    lockTimeoutMs,
    makeStore: () => createPostgresStore({ db: pool, lockTimeoutMs, pruneIntervalMs: 0 }),
    write,
    isCommitted: async (value) =>
      (await pool.query('SELECT 1 FROM conformance_writes WHERE value = $1', [value])).rowCount === 1,
  });
});

describe('the PostgreSQL store on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await pgliteForTests();
    await createPostgresStore({ db }).migrate();
    await db.query(WRITES);
  });
  afterAll(() => db.close());

  describeStoreConformance({
    describe,
    it,
    name: 'createPostgresStore (PGlite)',
    kind: 'transactional',
    lockTimeoutMs,
    makeStore: () => createPostgresStore({ db, lockTimeoutMs, pruneIntervalMs: 0 }),
    write,
    isCommitted: async (value) =>
      (await db.query('SELECT 1 FROM conformance_writes WHERE value = $1', [value])).rows.length === 1,
  });
});
