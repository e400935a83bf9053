import { DataSource, type DataSourceOptions, EntitySchema } from 'typeorm';
import { afterAll, beforeAll, describe } from 'vitest';
import { createSqlStore, fromTypeORM } from '../index.js';
import { describeSqlConformance, type Pair, WRITES_TABLE } from '../test-support/conformance.js';
import { databaseFor } from '../test-support/servers.js';

// TypeORM 1.x: the handler writes through the transaction's EntityManager, with a repository.
const Write = new EntitySchema<{ id: number; value: string }>({
  name: 'Write',
  tableName: 'conformance_writes',
  columns: { id: { type: Number, primary: true, generated: true }, value: { type: String } },
});

function typeormPair(
  name: string,
  dialect: 'postgres' | 'mysql' | 'mariadb' | 'sqlite',
  options: () => DataSourceOptions,
  available = true,
  after: () => Promise<unknown> = async () => {},
) {
  describe.runIf(available)(`createSqlStore on TypeORM, ${name}`, () => {
    let dataSource: DataSource;
    let pair: Pair<unknown>;
    beforeAll(async () => {
      dataSource = await new DataSource({
        ...options(),
        entities: [Write],
      } as DataSourceOptions).initialize();
      pair = {
        name,
        bridge: fromTypeORM(dataSource, dialect === 'mariadb' ? { dialect } : {}) as never,
        write: async (tx, value) =>
          void (await (tx as DataSource['manager']).getRepository(Write).insert({ value })),
        count: (value) => dataSource.getRepository(Write).countBy({ value }),
      };
      await createSqlStore({ db: pair.bridge }).migrate();
      await dataSource.query(WRITES_TABLE[dialect === 'mariadb' ? 'mysql' : dialect]);
    });
    afterAll(async () => {
      await dataSource?.destroy();
      await after();
    });
    describeSqlConformance(`TypeORM, ${name}`, dialect, () => pair);
  });
}

const postgres = await databaseFor('postgres', 'TypeORM on PostgreSQL');
typeormPair(
  'PostgreSQL (pg)',
  'postgres',
  () => ({ type: 'postgres', url: postgres!.url, poolSize: 30 }),
  postgres !== undefined,
  () => postgres!.drop(),
);

const mariadb = await databaseFor('mysql', 'TypeORM on MariaDB');
for (const dialect of ['mysql', 'mariadb'] as const) {
  typeormPair(
    `MariaDB (mysql2), dialect ${dialect}`,
    dialect,
    () => ({ type: dialect, url: mariadb!.url, poolSize: 30 }),
    mariadb !== undefined,
    async () => dialect === 'mariadb' && (await mariadb!.drop()),
  );
}

// sql.js: SQLite in WASM, the one SQLite driver of TypeORM with no native build.
typeormPair('SQLite (sql.js)', 'sqlite', () => ({ type: 'sqljs' }));
