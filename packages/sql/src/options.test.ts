import { PGlite } from '@electric-sql/pglite';
import { isPasisError } from '@pasis/core';
import mysql from 'mysql2';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import {
  createSqlStore,
  fromDrizzle,
  fromKnex,
  fromKysely,
  fromLibsql,
  fromMikroORM,
  fromMysql2,
  fromPGlite,
  fromPg,
  fromPrisma,
  fromTransactionHost,
  fromTypeORM,
  type SqlBridge,
} from './index.js';

const pglite = new PGlite();
afterAll(() => pglite.close());

/** What `fn` threw: a config_error of this package, whose message must match. */
function configError(fn: () => unknown): string {
  try {
    fn();
  } catch (error) {
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(/^@pasis\/sql: /);
    return (error as Error).message;
  }
  throw new Error('no config_error was thrown');
}

describe('createSqlStore refuses every configuration mistake at construction', () => {
  it('without a bridge, or with a client where a bridge belongs, says how to make one', () => {
    // @ts-expect-error: options are required
    expect(configError(() => createSqlStore())).toContain('{ db: fromPrisma(prisma, ...) }');
    // @ts-expect-error: a database is not a bridge
    expect(configError(() => createSqlStore({ db: pglite }))).toContain('fromPGlite(db)');
  });

  it('a bridge with a dialect the store does not speak', () => {
    const bridge = { ...fromPGlite(pglite), dialect: 'oracle' } as unknown as SqlBridge<unknown>;
    expect(configError(() => createSqlStore({ db: bridge }))).toContain(
      "dialect must be one of 'postgres', 'mysql', 'mariadb', 'sqlite', got \"oracle\"",
    );
  });

  it('bad tables, timeouts and loggers', () => {
    const db = fromPGlite(pglite);
    expect(configError(() => createSqlStore({ db, table: 'Deliveries' }))).toContain(
      'lower-case SQL identifier',
    );
    expect(configError(() => createSqlStore({ db, lockTimeoutMs: 0 }))).toContain(
      'lockTimeoutMs must be an integer',
    );
    expect(configError(() => createSqlStore({ db, commandTimeoutMs: 1.5 }))).toContain('commandTimeoutMs');
    expect(configError(() => createSqlStore({ db, pruneIntervalMs: -1 }))).toContain('pruneIntervalMs');
    // @ts-expect-error: not a logger
    expect(configError(() => createSqlStore({ db, logger: console.log }))).toContain('logger must have');
  });
});

describe('the driver bridges refuse what they cannot drive', () => {
  it('a pg Client instead of a Pool, and a callback mysql2 pool instead of a promise one', () => {
    const client = new pg.Client();
    expect(configError(() => fromPg(client))).toContain('not a Client');
    const pool = mysql.createPool({ host: '127.0.0.1' });
    try {
      // @ts-expect-error: a callback pool's getConnection does not answer a promise
      expect(configError(() => fromMysql2(pool))).toContain('pass pool.promise()');
    } finally {
      pool.end();
    }
    // @ts-expect-error: not a libSQL client
    expect(configError(() => fromLibsql({}))).toContain('fromLibsql needs a libSQL client');
    // @ts-expect-error: not a PGlite
    expect(configError(() => fromPGlite(undefined))).toContain('fromPGlite needs a PGlite instance');
  });
});

describe('the ORM bridges refuse what they cannot drive, saying what to pass', () => {
  it('a client that is not the ORM’s', () => {
    // @ts-expect-error: not a PrismaClient
    expect(configError(() => fromPrisma({}))).toContain('fromPrisma needs a PrismaClient');
    // @ts-expect-error: not a DataSource
    expect(configError(() => fromTypeORM({}))).toContain('fromTypeORM needs a TypeORM DataSource');
    // @ts-expect-error: not a Knex instance
    expect(configError(() => fromKnex({ transaction() {} }))).toContain('fromKnex needs a Knex instance');
    // @ts-expect-error: not a Kysely instance
    expect(configError(() => fromKysely({}, { dialect: 'postgres' }))).toContain(
      'fromKysely needs a Kysely instance',
    );
    // @ts-expect-error: a driver, not a Drizzle database
    expect(configError(() => fromDrizzle(new pg.Pool(), { dialect: 'postgres' }))).toContain(
      'not its driver',
    );
    // @ts-expect-error: not an EntityManager
    expect(configError(() => fromMikroORM({}, { dialect: 'postgres' }))).toContain('orm.em');
  });

  it('a dialect missing where the ORM does not say it, or disagreeing with what it says', () => {
    const kysely = { transaction: () => ({ execute: async () => undefined }) };
    // @ts-expect-error: Kysely needs the dialect
    expect(configError(() => fromKysely(kysely))).toContain(
      "fromKysely needs { dialect: 'postgres' | 'mysql'",
    );
    const dataSource = { transaction: async () => undefined, options: { type: 'postgres' } };
    expect(configError(() => fromTypeORM(dataSource, { dialect: 'mysql' }))).toContain(
      `fromTypeORM was given dialect 'mysql', but the ORM's database is "postgres": give 'postgres'.`,
    );
    // MariaDB refines what an ORM calls MySQL.
    expect(fromTypeORM({ ...dataSource, options: { type: 'mysql' } }, { dialect: 'mariadb' }).dialect).toBe(
      'mariadb',
    );
  });

  it('fromTransactionHost without nestjs-cls’s host, or without the bridge of its client', () => {
    const host = { tx: {}, withTransaction: async () => undefined, isTransactionActive: () => false };
    // @ts-expect-error: not a TransactionHost
    expect(configError(() => fromTransactionHost({}, fromPGlite(pglite)))).toContain(
      'TransactionHost of @nestjs-cls/transactional',
    );
    // @ts-expect-error: the bridge is missing
    expect(configError(() => fromTransactionHost(host))).toContain('the bridge of the same client');
  });
});
