import { readFileSync } from 'node:fs';
import type { PGlite } from '@electric-sql/pglite';
import { isPasisError, silentLogger } from '@pasis/core';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, DEFAULT_TABLE, migrate, migrationSql } from './index.js';
import { pgliteForTests } from './test-support/database.js';

const expectConfigError = (make: () => unknown, mentions: string) => {
  try {
    make();
  } catch (error) {
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(/^@pasis\/postgres: /);
    expect((error as Error).message).toContain(mentions);
    return;
  }
  throw new Error(`expected a config_error mentioning ${mentions}`);
};

describe('the table and its SQL', () => {
  it('ships sql/schema.sql identical to migrationSql() (what migrate() runs)', () => {
    const shipped = readFileSync(new URL('../sql/schema.sql', import.meta.url), 'utf8');
    expect(shipped).toBe(migrationSql());
    expect(shipped).toContain(`CREATE TABLE IF NOT EXISTS "${DEFAULT_TABLE}"`);
  });

  it('writes a custom, schema-qualified name quoted, with the index in its schema', () => {
    const sql = migrationSql('billing.webhook_deliveries');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS "billing"."webhook_deliveries"');
    expect(sql).toContain(
      'CREATE INDEX IF NOT EXISTS "webhook_deliveries_recorded_at" ON "billing"."webhook_deliveries"',
    );
  });

  it.each([
    'Deliveries',
    'webhook-deliveries',
    'x; DROP TABLE orders',
    'a.b.c',
    '.table',
    '',
    '1table',
    'x'.repeat(64),
    'table"',
  ])('refuses %j as a table name', (table) => {
    expectConfigError(() => migrationSql(table), 'table must be a lower-case SQL identifier');
    expectConfigError(() => createPostgresStore({ db: new pg.Pool(), table }), 'table must be');
  });
});

describe('createPostgresStore options', () => {
  const pool = new pg.Pool();
  afterAll(() => pool.end());

  it.each([
    [undefined, '`db` is required'],
    [{}, '`db` must be a pg Pool'],
    [new pg.Client(), '`db` is a pg Client: pass a Pool'],
    [{ $client: pool, select() {} }, "Drizzle's db.$client"],
  ])('refuses db = %o', (db, mentions) => {
    expectConfigError(() => createPostgresStore({ db: db as never }), mentions);
  });

  it.each([
    ['lockTimeoutMs', 0],
    ['lockTimeoutMs', 1.5],
    ['lockTimeoutMs', '5000'],
    ['lockTimeoutMs', 2 ** 31],
    ['commandTimeoutMs', -1],
    ['retentionMs', 0],
    ['pruneIntervalMs', -1],
    ['pruneIntervalMs', Number.NaN],
    ['pruneBatchSize', 0],
    ['pruneBatchSize', 1_000_000],
  ])('refuses %s = %o', (name, value) => {
    expectConfigError(() => createPostgresStore({ db: pool, [name]: value }), `${name} must be an integer`);
  });

  it('refuses a logger without the four methods, and options that are not an object', () => {
    expectConfigError(
      () => createPostgresStore({ db: pool, logger: { warn() {} } as never }),
      'logger must have',
    );
    expectConfigError(() => createPostgresStore(undefined as never), 'createPostgresStore needs options');
  });

  it('accepts pruneIntervalMs 0 (no timer) and names its table', async () => {
    const store = createPostgresStore({ db: pool, pruneIntervalMs: 0, logger: silentLogger });
    expect(store.table).toBe(DEFAULT_TABLE);
    await store.close();
  });
});

describe('migrate() on PGlite', () => {
  let db: PGlite;
  beforeAll(async () => {
    db = await pgliteForTests();
  });
  afterAll(() => db.close());

  it('is idempotent, and takes a reserved word or a schema-qualified name', async () => {
    await migrate(db);
    await migrate(db);
    await db.query('CREATE SCHEMA billing');
    for (const table of ['order', 'billing.webhook_deliveries']) {
      const store = createPostgresStore({ db, table, pruneIntervalMs: 0 });
      await store.migrate();
      await store.migrate();
      const claim = await store.claim('k', { leaseMs: 1000 });
      if (claim.state !== 'claimed') throw new Error(`expected a claim, got ${claim.state}`);
      await store.complete('k', claim.token, { ttlMs: 1000 });
      expect(await store.claim('k', { leaseMs: 1000 })).toEqual({ state: 'completed' });
    }
    const { rows } = await db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM billing.webhook_deliveries',
    );
    expect(rows[0]!.n).toBe(1);
  });
});
