import knex, { type Knex } from 'knex';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlStore, fromKnex } from '../index.js';
import { describeSqlConformance, type Pair, WRITES_TABLE } from '../test-support/conformance.js';
import { databaseFor } from '../test-support/servers.js';

// Knex 3: the handler writes with the transaction's query builder. Knex's SQLite clients
// (sqlite3, better-sqlite3) need a native build, so Knex runs here on PostgreSQL and MariaDB.
function knexPair(
  name: string,
  dialect: 'postgres' | 'mysql' | 'mariadb',
  config: () => Knex.Config,
  after: () => Promise<unknown>,
) {
  describe(`createSqlStore on Knex, ${name}`, () => {
    let db: Knex;
    let pair: Pair<unknown>;
    beforeAll(async () => {
      db = knex({ ...config(), pool: { min: 0, max: 30 } });
      pair = {
        name,
        bridge: fromKnex(db, dialect === 'mariadb' ? { dialect } : {}) as never,
        write: async (tx, value) =>
          void (await (tx as Knex.Transaction)('conformance_writes').insert({ value })),
        count: async (value) =>
          Number((await db('conformance_writes').where({ value }).count({ n: '*' }))[0]!.n),
      };
      await createSqlStore({ db: pair.bridge }).migrate();
      await db.raw(WRITES_TABLE[dialect === 'postgres' ? 'postgres' : 'mysql']);
    });
    afterAll(async () => {
      await db?.destroy();
      await after();
    });
    describeSqlConformance(`Knex, ${name}`, dialect, () => pair);
  });
}

const postgres = await databaseFor('postgres', 'Knex on PostgreSQL');
if (postgres)
  knexPair(
    'PostgreSQL (pg)',
    'postgres',
    () => ({ client: 'pg', connection: postgres.url }),
    () => postgres.drop(),
  );

const mariadb = await databaseFor('mysql', 'Knex on MariaDB');
if (mariadb) {
  for (const dialect of ['mysql', 'mariadb'] as const) {
    knexPair(
      `MariaDB (mysql2), dialect ${dialect}`,
      dialect,
      () => ({ client: 'mysql2', connection: mariadb.url }),
      async () => dialect === 'mariadb' && (await mariadb.drop()),
    );
  }
}
