import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type EntityManager, EntitySchema, MikroORM, type Options } from '@mikro-orm/core';
import { LibSqlDriver } from '@mikro-orm/libsql';
import { MySqlDriver } from '@mikro-orm/mysql';
import { PostgreSqlDriver } from '@mikro-orm/postgresql';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlStore, fromMikroORM } from '../index.js';
import { describeSqlConformance, type Pair, WRITES_TABLE } from '../test-support/conformance.js';
import { databaseFor } from '../test-support/servers.js';

// MikroORM 6: the handler persists an entity on the transaction's EntityManager; MikroORM
// flushes it when the store lets the transaction commit.
class Write {
  id!: number;
  value!: string;
}
const WriteSchema = new EntitySchema<Write>({
  class: Write,
  tableName: 'conformance_writes',
  properties: { id: { type: 'number', primary: true, autoincrement: true }, value: { type: 'string' } },
});

function mikroPair(
  name: string,
  dialect: 'postgres' | 'mysql' | 'mariadb' | 'sqlite',
  options: () => Options,
  after: () => Promise<unknown>,
) {
  describe(`createSqlStore on MikroORM, ${name}`, () => {
    let orm: MikroORM;
    let pair: Pair<unknown>;
    beforeAll(async () => {
      orm = await MikroORM.init({
        ...options(),
        entities: [WriteSchema],
        allowGlobalContext: true,
      } as Options);
      pair = {
        name,
        bridge: fromMikroORM(orm.em, { dialect }) as never,
        write: async (tx, value) =>
          void (tx as EntityManager).persist((tx as EntityManager).create(Write, { value })),
        count: (value) => orm.em.fork().count(Write, { value }),
      };
      await createSqlStore({ db: pair.bridge }).migrate();
      await orm.em.getConnection().execute(WRITES_TABLE[dialect === 'mariadb' ? 'mysql' : dialect]);
    });
    afterAll(async () => {
      await orm?.close();
      await after();
    });
    describeSqlConformance(`MikroORM, ${name}`, dialect, () => pair);
  });
}

const postgres = await databaseFor('postgres', 'MikroORM on PostgreSQL');
if (postgres) {
  mikroPair(
    'PostgreSQL',
    'postgres',
    () => ({ driver: PostgreSqlDriver, clientUrl: postgres.url, pool: { max: 30 } }),
    () => postgres.drop(),
  );
}
const mariadb = await databaseFor('mysql', 'MikroORM on MariaDB');
if (mariadb) {
  for (const dialect of ['mysql', 'mariadb'] as const) {
    mikroPair(
      `MariaDB (mysql2), dialect ${dialect}`,
      dialect,
      () => ({ driver: MySqlDriver, clientUrl: mariadb.url, pool: { max: 30 } }),
      async () => dialect === 'mariadb' && (await mariadb.drop()),
    );
  }
}
const dir = mkdtempSync(join(tmpdir(), 'pasis-mikro-sqlite-'));
mikroPair(
  'SQLite (libSQL)',
  'sqlite',
  () => ({ driver: LibSqlDriver, dbName: join(dir, 'shop.db') }),
  async () => rmSync(dir, { recursive: true, force: true }),
);
