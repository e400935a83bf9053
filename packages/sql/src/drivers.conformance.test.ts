import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite, type Transaction } from '@electric-sql/pglite';
import { type Client, createClient, type Transaction as LibsqlTransaction } from '@libsql/client';
import mysql, { type PoolConnection } from 'mysql2/promise';
import pg from 'pg';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlStore, fromLibsql, fromMysql2, fromPGlite, fromPg } from './index.js';
import { describeSqlConformance, type Pair, WRITES_TABLE } from './test-support/conformance.js';
import { databaseFor, testPool } from './test-support/servers.js';

// The store on each database through its plain driver; the ORMs' runs are in bridges/.
const n = (rows: unknown) => Number((rows as { n: unknown }[])[0]!.n);

const postgres = await databaseFor('postgres', 'createSqlStore on pg');
describe.runIf(postgres)('createSqlStore on a pg Pool', () => {
  let pool: pg.Pool;
  let pair: Pair<pg.PoolClient>;
  beforeAll(async () => {
    pool = testPool(postgres!.url, { max: 30 });
    pair = {
      name: 'pg',
      bridge: fromPg(pool),
      write: async (tx, value) =>
        void (await tx.query('INSERT INTO conformance_writes (value) VALUES ($1)', [value])),
      count: async (value) =>
        n((await pool.query('SELECT count(*) AS n FROM conformance_writes WHERE value = $1', [value])).rows),
    };
    await createSqlStore({ db: pair.bridge }).migrate();
    await pool.query(WRITES_TABLE.postgres);
  });
  afterAll(async () => {
    await pool?.end();
    await postgres!.drop();
  });
  describeSqlConformance('pg', 'postgres', () => pair);
});

describe('createSqlStore on PGlite', () => {
  let db: PGlite;
  let pair: Pair<Transaction>;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
    pair = {
      name: 'PGlite',
      bridge: fromPGlite(db),
      write: async (tx, value) =>
        void (await tx.query('INSERT INTO conformance_writes (value) VALUES ($1)', [value])),
      count: async (value) =>
        n((await db.query('SELECT count(*) AS n FROM conformance_writes WHERE value = $1', [value])).rows),
    };
    await createSqlStore({ db: pair.bridge }).migrate();
    await db.query(WRITES_TABLE.postgres);
  });
  afterAll(() => db?.close());
  describeSqlConformance('PGlite', 'postgres', () => pair);
});

const mariadb = await databaseFor('mysql', 'createSqlStore on mysql2');
for (const dialect of ['mysql', 'mariadb'] as const) {
  describe.runIf(mariadb)(`createSqlStore on a mysql2 Pool, MariaDB server, dialect ${dialect}`, () => {
    let pool: mysql.Pool;
    let pair: Pair<PoolConnection>;
    beforeAll(async () => {
      pool = mysql.createPool({ uri: mariadb!.url, connectionLimit: 30 });
      pair = {
        name: `mysql2, ${dialect}`,
        bridge: fromMysql2(pool, { dialect }),
        write: async (tx, value) =>
          void (await tx.query('INSERT INTO conformance_writes (value) VALUES (?)', [value])),
        count: async (value) =>
          n((await pool.query('SELECT count(*) AS n FROM conformance_writes WHERE value = ?', [value]))[0]),
      };
      await createSqlStore({ db: pair.bridge }).migrate();
      await pool.query(WRITES_TABLE.mysql);
    });
    afterAll(async () => {
      await pool?.end();
      if (dialect === 'mariadb') await mariadb!.drop();
    });
    describeSqlConformance(`mysql2, ${dialect}`, dialect, () => pair);
  });
}

describe('createSqlStore on libSQL (a SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-libsql-'));
  let client: Client;
  let pair: Pair<LibsqlTransaction>;
  beforeAll(async () => {
    client = createClient({ url: `file:${join(dir, 'shop.db')}` });
    pair = {
      name: 'libSQL',
      bridge: fromLibsql(client),
      write: async (tx, value) =>
        void (await tx.execute({ sql: 'INSERT INTO conformance_writes (value) VALUES (?)', args: [value] })),
      count: async (value) =>
        n(
          (
            await client.execute({
              sql: 'SELECT count(*) AS n FROM conformance_writes WHERE value = ?',
              args: [value],
            })
          ).rows,
        ),
    };
    await createSqlStore({ db: pair.bridge }).migrate();
    await client.execute(WRITES_TABLE.sqlite);
  });
  afterAll(() => {
    client?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  describeSqlConformance('libSQL', 'sqlite', () => pair);
});
