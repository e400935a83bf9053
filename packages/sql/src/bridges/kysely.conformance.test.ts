import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type Dialect, Kysely, MysqlDialect, PostgresDialect, SqliteDialect, sql } from 'kysely';
import Database from 'libsql';
import { createPool } from 'mysql2';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlStore, fromKysely } from '../index.js';
import { describeSqlConformance, type Pair, WRITES_TABLE } from '../test-support/conformance.js';
import { databaseFor, testPool } from '../test-support/servers.js';

// Kysely 0.28: the handler writes with the transaction's typed query builder.
interface Schema {
  conformance_writes: { id: number; value: string };
}

function kyselyPair(
  name: string,
  dialect: 'postgres' | 'mysql' | 'mariadb' | 'sqlite',
  open: () => Dialect,
  after: () => Promise<unknown>,
) {
  describe(`createSqlStore on Kysely, ${name}`, () => {
    let db: Kysely<Schema>;
    let pair: Pair<unknown>;
    beforeAll(async () => {
      db = new Kysely<Schema>({ dialect: open() });
      pair = {
        name,
        bridge: fromKysely(db, { dialect }) as never,
        write: async (tx, value) =>
          void (await (tx as Kysely<Schema>)
            .insertInto('conformance_writes')
            .values({ value } as never)
            .execute()),
        count: async (value) =>
          Number(
            (
              await db
                .selectFrom('conformance_writes')
                .select((e) => e.fn.countAll().as('n'))
                .where('value', '=', value)
                .executeTakeFirstOrThrow()
            ).n,
          ),
      };
      await createSqlStore({ db: pair.bridge }).migrate();
      await sql.raw(WRITES_TABLE[dialect === 'mariadb' ? 'mysql' : dialect]).execute(db);
    });
    afterAll(async () => {
      await db?.destroy();
      await after();
    });
    describeSqlConformance(`Kysely, ${name}`, dialect, () => pair);
  });
}

const postgres = await databaseFor('postgres', 'Kysely on PostgreSQL');
if (postgres) {
  kyselyPair(
    'PostgreSQL (pg)',
    'postgres',
    () => new PostgresDialect({ pool: testPool(postgres.url, { max: 30 }) }),
    () => postgres.drop(),
  );
}
const mariadb = await databaseFor('mysql', 'Kysely on MariaDB');
if (mariadb) {
  for (const dialect of ['mysql', 'mariadb'] as const) {
    kyselyPair(
      `MariaDB (mysql2), dialect ${dialect}`,
      dialect,
      () => new MysqlDialect({ pool: createPool({ uri: mariadb.url, connectionLimit: 30 }) }),
      async () => dialect === 'mariadb' && (await mariadb.drop()),
    );
  }
}
// libsql's better-sqlite3-compatible Database: SQLite with prebuilt binaries, nothing compiled.
const dir = mkdtempSync(join(tmpdir(), 'pasis-kysely-sqlite-'));
kyselyPair(
  'SQLite (libsql)',
  'sqlite',
  () => new SqliteDialect({ database: new Database(join(dir, 'shop.db')) as never }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
