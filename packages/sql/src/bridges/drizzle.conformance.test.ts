import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { createClient } from '@libsql/client';
import { count, eq } from 'drizzle-orm';
import { drizzle as drizzleLibsql } from 'drizzle-orm/libsql';
import { int, mysqlTable, varchar } from 'drizzle-orm/mysql-core';
import { drizzle as drizzleMysql } from 'drizzle-orm/mysql2';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { pgTable, serial, text } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { integer, sqliteTable, text as sqliteText } from 'drizzle-orm/sqlite-core';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlStore, fromDrizzle } from '../index.js';
import { describeSqlConformance, type Pair, WRITES_TABLE } from '../test-support/conformance.js';
import { databaseFor, testPool } from '../test-support/servers.js';

// Drizzle 0.45: the handler writes with the transaction's query builder.
const pgWrites = pgTable('conformance_writes', {
  id: serial('id').primaryKey(),
  value: text('value').notNull(),
});
const mysqlWrites = mysqlTable('conformance_writes', {
  id: int('id').autoincrement().primaryKey(),
  value: varchar('value', { length: 300 }).notNull(),
});
const sqliteWrites = sqliteTable('conformance_writes', {
  id: integer('id').primaryKey({ autoIncrement: true }),
  value: sqliteText('value').notNull(),
});
type Table = typeof pgWrites;
// biome-ignore lint/suspicious/noExplicitAny: one helper over the three Drizzle flavours
type AnyDrizzle = any;

function drizzlePair(
  name: string,
  dialect: 'postgres' | 'mysql' | 'mariadb' | 'sqlite',
  table: Table | typeof mysqlWrites | typeof sqliteWrites,
  open: () => AnyDrizzle,
  after: () => Promise<unknown>,
) {
  describe(`createSqlStore on Drizzle, ${name}`, () => {
    let db: AnyDrizzle;
    let pair: Pair<unknown>;
    beforeAll(async () => {
      db = open();
      const writes = table as Table;
      pair = {
        name,
        bridge: fromDrizzle(db, { dialect }) as never,
        write: async (tx, value) => void (await (tx as AnyDrizzle).insert(writes).values({ value })),
        count: async (value) =>
          Number((await db.select({ n: count() }).from(writes).where(eq(writes.value, value)))[0].n),
      };
      await createSqlStore({ db: pair.bridge }).migrate();
      const ddl = WRITES_TABLE[dialect === 'mariadb' ? 'mysql' : dialect];
      await (dialect === 'sqlite' ? db.run(ddl) : db.execute(ddl));
    });
    afterAll(after);
    describeSqlConformance(`Drizzle, ${name}`, dialect, () => pair);
  });
}

const postgres = await databaseFor('postgres', 'Drizzle on PostgreSQL');
if (postgres) {
  const pool = testPool(postgres.url, { max: 30 });
  drizzlePair(
    'PostgreSQL (node-postgres)',
    'postgres',
    pgWrites,
    () => drizzlePg({ client: pool }),
    async () => {
      await pool.end();
      await postgres.drop();
    },
  );
}
const pglite = new PGlite();
drizzlePair(
  'PGlite',
  'postgres',
  pgWrites,
  () => drizzlePglite({ client: pglite }),
  () => pglite.close(),
);

const mariadb = await databaseFor('mysql', 'Drizzle on MariaDB');
if (mariadb) {
  const pool = mysql.createPool({ uri: mariadb.url, connectionLimit: 30 });
  for (const dialect of ['mysql', 'mariadb'] as const) {
    drizzlePair(
      `MariaDB (mysql2), dialect ${dialect}`,
      dialect,
      mysqlWrites,
      () => drizzleMysql({ client: pool }),
      async () => {
        if (dialect === 'mysql') return;
        await pool.end();
        await mariadb.drop();
      },
    );
  }
}
const dir = mkdtempSync(join(tmpdir(), 'pasis-drizzle-sqlite-'));
const libsql = createClient({ url: `file:${join(dir, 'shop.db')}` });
drizzlePair(
  'SQLite (libSQL)',
  'sqlite',
  sqliteWrites,
  () => drizzleLibsql({ client: libsql }),
  async () => {
    libsql.close();
    rmSync(dir, { recursive: true, force: true });
  },
);
