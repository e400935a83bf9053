import { readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { isPasisError } from '@pasis/core';
import { describeReconcileLeaseConformance } from '@pasis/core/testing';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createPostgresReconcileLease,
  DEFAULT_RECONCILE_LEASE_TABLE,
  reconcileLeaseMigrationSql,
} from './index.js';
import { databaseForTests, pgliteForTests, type TestDatabase } from './test-support/database.js';

const database: TestDatabase | undefined = await databaseForTests('PostgreSQL reconcile lease');

describe.runIf(database !== undefined)('the PostgreSQL reconcile lease on pg Pools', () => {
  const pools: pg.Pool[] = [];
  beforeAll(async () => {
    await createPostgresReconcileLease({ db: database!.pool({ max: 2 }) }).migrate();
  });
  afterAll(() => database!.drop());

  describeReconcileLeaseConformance({
    describe,
    it,
    name: 'createPostgresReconcileLease (pg)',
    // Each instance has a pool of its own, as separate processes would.
    makeLease: () => {
      const pool = database!.pool({ max: 2 });
      pools.push(pool);
      return createPostgresReconcileLease({ db: pool });
    },
  });

  it('keeps a row per leased session until it expires, and sweeps expired rows of other sessions', async () => {
    const pool = database!.pool({ max: 2 });
    const lease = createPostgresReconcileLease({ db: pool });
    const stamp = Date.now();
    const old = Array.from({ length: 3 }, (_, i) => `cs_sweep_${stamp}_${i}`);
    expect((await lease.claim(old, { leaseMs: 1 })).length).toBe(3);
    await new Promise((resolve) => setTimeout(resolve, 20));
    const fresh = `cs_sweep_${stamp}_fresh`;
    // Another instance's first claim sweeps.
    expect(await createPostgresReconcileLease({ db: pool }).claim([fresh], { leaseMs: 60_000 })).toEqual([
      fresh,
    ]);
    const { rows } = await pool.query(
      `SELECT session_id FROM ${DEFAULT_RECONCILE_LEASE_TABLE} WHERE session_id LIKE $1 ORDER BY 1`,
      [`cs_sweep_${stamp}_%`],
    );
    expect(rows.map((r) => r.session_id)).toEqual([fresh]);
  });

  it('says to migrate when the table is missing', async () => {
    const lease = createPostgresReconcileLease({ db: database!.pool({ max: 1 }), table: 'no_such_leases' });
    const error = await lease.claim(['cs_x'], { leaseMs: 1_000 }).catch((e: unknown) => e);
    expect(isPasisError(error, 'store_unavailable')).toBe(true);
    expect((error as Error).message).toContain("no_such_leases is missing: run the lease's migrate()");
  });
});

describe('the PostgreSQL reconcile lease on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await pgliteForTests();
    await createPostgresReconcileLease({ db }).migrate();
  });
  afterAll(() => db.close());

  describeReconcileLeaseConformance({
    describe,
    it,
    name: 'createPostgresReconcileLease (PGlite)',
    makeLease: () => createPostgresReconcileLease({ db }),
  });
});

describe('the lease table and its SQL', () => {
  it('ships sql/reconcile-leases.sql identical to reconcileLeaseMigrationSql() (what migrate() runs)', () => {
    const shipped = readFileSync(new URL('../sql/reconcile-leases.sql', import.meta.url), 'utf8');
    expect(shipped).toBe(reconcileLeaseMigrationSql());
    expect(reconcileLeaseMigrationSql('billing.leases')).toContain(
      'CREATE INDEX IF NOT EXISTS "leases_expires_at" ON "billing"."leases" (expires_at)',
    );
  });

  it('refuses a bad table name and commandTimeoutMs at construction', () => {
    for (const [options, mentions] of [
      [{ db: undefined }, '`db` is required'],
      [{ db: { connect() {} }, table: 'Leases' }, 'table must be a lower-case SQL identifier'],
      [{ db: { connect() {} }, commandTimeoutMs: 0 }, 'commandTimeoutMs must be a positive integer'],
    ] as const) {
      try {
        createPostgresReconcileLease(options as never);
        throw new Error('expected a config_error');
      } catch (error) {
        expect(isPasisError(error, 'config_error')).toBe(true);
        expect((error as Error).message).toContain(mentions);
      }
    }
  });
});
