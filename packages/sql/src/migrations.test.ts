import { readFileSync } from 'node:fs';
import { PGlite } from '@electric-sql/pglite';
import { createClient } from '@libsql/client';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSqlStore,
  fromLibsql,
  fromMysql2,
  fromPGlite,
  fromPg,
  migrate,
  migrationSql,
} from './index.js';
import { databaseFor, testPool } from './test-support/servers.js';

const file = (name: string) => readFileSync(new URL(`../sql/${name}`, import.meta.url), 'utf8');

describe('the migration files', () => {
  it('are what migrationSql() writes, for each database (MariaDB uses the MySQL files)', () => {
    for (const dialect of ['postgres', 'mysql', 'sqlite'] as const) {
      expect(file(`${dialect}.sql`)).toBe(migrationSql(dialect));
      expect(file(`${dialect}-outbox.sql`)).toBe(
        migrationSql(dialect, { table: false, outboxTable: 'pasis_outbox' }),
      );
      expect(file(`${dialect}-reconcile-leases.sql`)).toBe(
        migrationSql(dialect, { table: false, reconcileLeaseTable: 'pasis_reconcile_leases' }),
      );
    }
    expect(migrationSql('mariadb')).toBe(migrationSql('mysql'));
  });

  it('quote a qualified or reserved table name for each database, and refuse anything else', () => {
    expect(migrationSql('postgres', { table: 'billing.order' })).toContain('"billing"."order"');
    expect(migrationSql('mysql', { table: 'shop.order' })).toContain('`shop`.`order`');
    expect(migrationSql('sqlite', { table: 'main.order' })).toContain(
      '"main"."order_recorded_at" ON "order"',
    );
    for (const table of ['Orders', 'a;drop table x', 'a.b.c', '', 'x'.repeat(64)]) {
      expect(() => migrationSql('postgres', { table })).toThrow(
        /^@pasis\/sql: table must be a lower-case SQL identifier/,
      );
    }
  });
});

const postgres = await databaseFor('postgres', 'migrations on PostgreSQL');
const mariadb = await databaseFor('mysql', 'migrations on MariaDB');

describe('migrate() on each database', () => {
  const closers: (() => Promise<unknown>)[] = [];
  afterAll(async () => {
    for (const close of closers) await close();
    await postgres?.drop();
    await mariadb?.drop();
  });

  it.runIf(postgres)(
    'PostgreSQL: the shipped file and five concurrent migrate() calls agree, with a schema',
    async () => {
      const pool = testPool(postgres!.url);
      closers.push(() => pool.end());
      await pool.query(file('postgres.sql')); // what a merchant's own migration tool runs
      await pool.query('CREATE SCHEMA billing');
      const db = fromPg(pool);
      await Promise.all(
        Array.from({ length: 5 }, () =>
          migrate(db, { table: 'billing.deliveries', outboxTable: 'billing.outbox' }),
        ),
      );
      await migrate(db);
      const { rows } = await pool.query(
        "SELECT table_schema || '.' || table_name AS t FROM information_schema.tables WHERE table_schema IN ('public', 'billing') ORDER BY 1",
      );
      expect(rows.map((r) => r.t)).toEqual([
        'billing.deliveries',
        'billing.outbox',
        'public.pasis_webhook_deliveries',
      ]);
    },
  );

  it.runIf(mariadb)('MariaDB: the shipped file and five concurrent migrate() calls agree', async () => {
    const pool = mysql.createPool({ uri: mariadb!.url, multipleStatements: true });
    closers.push(() => pool.end());
    await pool.query(file('mysql.sql'));
    await Promise.all(
      Array.from({ length: 5 }, () => migrate(fromMysql2(pool), { outboxTable: 'pasis_outbox' })),
    );
    const [rows] = await pool.query('SHOW TABLES');
    expect((rows as Record<string, string>[]).map((r) => Object.values(r)[0]).sort()).toEqual([
      'pasis_outbox',
      'pasis_webhook_deliveries',
    ]);
  });

  it('SQLite and PGlite: migrate() twice is a no-op the second time', async () => {
    const client = createClient({ url: ':memory:' });
    closers.push(async () => client.close());
    await migrate(fromLibsql(client), { outboxTable: 'pasis_outbox' });
    await migrate(fromLibsql(client), { outboxTable: 'pasis_outbox' });
    const tables = await client.execute(
      "SELECT name FROM sqlite_master WHERE type = 'table' AND name LIKE 'pasis%' ORDER BY 1",
    );
    expect(tables.rows.map((r) => r.name)).toEqual(['pasis_outbox', 'pasis_webhook_deliveries']);
    const pglite = new PGlite();
    closers.push(() => pglite.close());
    await createSqlStore({ db: fromPGlite(pglite) }).migrate();
    await createSqlStore({ db: fromPGlite(pglite) }).migrate();
    expect((await pglite.query("SELECT to_regclass('pasis_webhook_deliveries') AS t")).rows).toEqual([
      { t: 'pasis_webhook_deliveries' },
    ]);
  });

  it('answers a claim on a missing table 503, saying to run migrate()', async () => {
    const pglite = new PGlite();
    closers.push(() => pglite.close());
    const store = createSqlStore({ db: fromPGlite(pglite), table: 'never_migrated' });
    await expect(store.claim('delivery/msg_1', { leaseMs: 1000 })).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringMatching(
        /^@pasis\/sql: claiming \(PGlite, PostgreSQL\) failed: .*never_migrated.* run the store's migrate\(\)/,
      ),
    });
  });
});
