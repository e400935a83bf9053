import { PGlite } from '@electric-sql/pglite';
import { createClient } from '@libsql/client';
import mysql from 'mysql2/promise';
import { afterAll, describe, expect, it } from 'vitest';
import { createSqlStore, fromLibsql, fromMysql2, fromPGlite, fromPg, type SqlBridge } from './index.js';
import { databaseFor, testPool } from './test-support/servers.js';

// Each database keeps recorded_at its own way: an hour ago, written by hand, per dialect.
const OLD = {
  postgres: "now() - interval '1 hour'",
  mysql: 'NOW(3) - INTERVAL 1 HOUR',
  sqlite: "CAST((julianday('now') - 2440587.5) * 86400000 AS INTEGER) - 3600000",
};

interface Db {
  bridge: SqlBridge<unknown>;
  dialect: keyof typeof OLD;
  exec(sql: string): Promise<unknown>;
  count(): Promise<number>;
  close(): Promise<void>;
}

const postgres = await databaseFor('postgres', 'pruning on pg');
const mariadb = await databaseFor('mysql', 'pruning on MariaDB');
const databases: [string, boolean, () => Promise<Db>][] = [
  [
    'pg',
    postgres !== undefined,
    async () => {
      const pool = testPool(postgres!.url);
      return {
        bridge: fromPg(pool) as SqlBridge<unknown>,
        dialect: 'postgres',
        exec: (sql) => pool.query(sql),
        count: async () =>
          Number((await pool.query('SELECT count(*) AS n FROM pasis_webhook_deliveries')).rows[0].n),
        close: async () => {
          await pool.end();
          await postgres!.drop();
        },
      };
    },
  ],
  [
    'MariaDB',
    mariadb !== undefined,
    async () => {
      const pool = mysql.createPool({ uri: mariadb!.url });
      return {
        bridge: fromMysql2(pool) as SqlBridge<unknown>,
        dialect: 'mysql',
        exec: (sql) => pool.query(sql),
        count: async () =>
          Number(
            (
              (await pool.query('SELECT count(*) AS n FROM pasis_webhook_deliveries'))[0] as { n: number }[]
            )[0]!.n,
          ),
        close: async () => {
          await pool.end();
          await mariadb!.drop();
        },
      };
    },
  ],
  [
    'PGlite',
    true,
    async () => {
      const db = new PGlite();
      return {
        bridge: fromPGlite(db) as SqlBridge<unknown>,
        dialect: 'postgres',
        exec: (sql) => db.query(sql),
        count: async () =>
          Number(
            (await db.query<{ n: number }>('SELECT count(*) AS n FROM pasis_webhook_deliveries')).rows[0]!.n,
          ),
        close: () => db.close(),
      };
    },
  ],
  [
    'libSQL',
    true,
    async () => {
      const client = createClient({ url: ':memory:' });
      return {
        bridge: fromLibsql(client) as SqlBridge<unknown>,
        dialect: 'sqlite',
        exec: (sql) => client.execute(sql),
        count: async () =>
          Number((await client.execute('SELECT count(*) AS n FROM pasis_webhook_deliveries')).rows[0]!.n),
        close: async () => client.close(),
      };
    },
  ],
];

describe.each(databases)('pruning on %s', (_name, available, open) => {
  let db: Db;
  afterAll(() => db?.close());

  it.runIf(available)(
    'deletes the keys older than retentionMs, in batches, and keeps the others',
    async () => {
      db = await open();
      const store = createSqlStore({
        db: db.bridge,
        retentionMs: 60_000,
        pruneIntervalMs: 0,
        pruneBatchSize: 3,
      });
      await store.migrate();
      for (let i = 0; i < 7; i++) {
        await db.exec(
          `INSERT INTO pasis_webhook_deliveries (dedupe_key, recorded_at) VALUES ('delivery/old_${i}', ${OLD[db.dialect]})`,
        );
      }
      const fresh = await store.claim('delivery/fresh', { leaseMs: 1000 });
      await store.complete('delivery/fresh', (fresh as { token: string }).token, { ttlMs: 1 });
      expect(await store.prune()).toBe(7);
      expect(await db.count()).toBe(1);
      expect(await store.claim('delivery/fresh', { leaseMs: 1000 })).toEqual({ state: 'completed' });
      await store.close();
    },
  );
});
