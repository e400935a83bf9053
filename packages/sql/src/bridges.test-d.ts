import type { PGlite, Transaction as PGliteTransaction } from '@electric-sql/pglite';
import type { Client as LibsqlClient, Transaction as LibsqlTransaction } from '@libsql/client';
import type { EntityManager as MikroEntityManager } from '@mikro-orm/postgresql';
import { createWebhookHandler, type WebhookStore } from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import type { NodePgDatabase } from 'drizzle-orm/node-postgres';
import type { Knex } from 'knex';
import type { Kysely, Transaction as KyselyTransaction } from 'kysely';
import type { Pool as MysqlPool, PoolConnection } from 'mysql2/promise';
import type { Pool, PoolClient } from 'pg';
import type { DataSource, EntityManager } from 'typeorm';
import { describe, expectTypeOf, it } from 'vitest';
import {
  createOutbox,
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
  fromTypeORM,
  type SqlStore,
} from './index.js';
import type { Prisma, PrismaClient } from './test-support/prisma/generated/postgresql/client.js';

declare const prisma: PrismaClient;
declare const dataSource: DataSource;
declare const knex: Knex;
interface Schema {
  orders: { id: number; status: string };
}
declare const kysely: Kysely<Schema>;
declare const drizzle: NodePgDatabase;
declare const mikro: MikroEntityManager;
declare const pool: Pool;
declare const pglite: PGlite;
declare const mysqlPool: MysqlPool;
declare const libsql: LibsqlClient;

describe('@pasis/sql types: ctx.tx is the ORM’s own transaction', () => {
  it('for every bridge, read from the client given', () => {
    expectTypeOf(createSqlStore({ db: fromPrisma(prisma) })).toEqualTypeOf<
      SqlStore<Prisma.TransactionClient>
    >();
    expectTypeOf(createSqlStore({ db: fromTypeORM(dataSource) })).toEqualTypeOf<SqlStore<EntityManager>>();
    expectTypeOf(createSqlStore({ db: fromKnex(knex) })).toEqualTypeOf<SqlStore<Knex.Transaction>>();
    expectTypeOf(createSqlStore({ db: fromKysely(kysely, { dialect: 'postgres' }) })).toEqualTypeOf<
      SqlStore<KyselyTransaction<Schema>>
    >();
    expectTypeOf(createSqlStore({ db: fromDrizzle(drizzle, { dialect: 'postgres' }) })).toEqualTypeOf<
      SqlStore<Parameters<Parameters<NodePgDatabase['transaction']>[0]>[0]>
    >();
    expectTypeOf(createSqlStore({ db: fromMikroORM(mikro, { dialect: 'postgres' }) })).toEqualTypeOf<
      SqlStore<MikroEntityManager>
    >();
    expectTypeOf(createSqlStore({ db: fromPg(pool) })).toEqualTypeOf<SqlStore<PoolClient>>();
    expectTypeOf(createSqlStore({ db: fromPGlite(pglite) })).toEqualTypeOf<SqlStore<PGliteTransaction>>();
    expectTypeOf(createSqlStore({ db: fromMysql2(mysqlPool) })).toEqualTypeOf<SqlStore<PoolConnection>>();
    expectTypeOf(createSqlStore({ db: fromLibsql(libsql) })).toEqualTypeOf<SqlStore<LibsqlTransaction>>();
    expectTypeOf(createSqlStore({ db: fromPg(pool) })).toMatchTypeOf<WebhookStore<PoolClient>>();
  });

  it('in the handlers of createWebhookHandler and pasisWebhook', () => {
    createWebhookHandler({
      store: createSqlStore({ db: fromPrisma(prisma) }),
      on: {
        'session:processed': async (event, ctx) => {
          expectTypeOf(ctx.tx).toEqualTypeOf<Prisma.TransactionClient>();
          await ctx.tx.payment.create({
            data: { sessionId: event.session_id, deliveryId: ctx.deliveryId, amount: event.amount },
          });
          ctx.afterCommit(() => undefined);
        },
      },
    });
    pasisWebhook({
      store: createSqlStore({ db: fromKysely(kysely, { dialect: 'postgres' }) }),
      on: {
        'session:processed': (event, ctx) =>
          ctx.tx
            .updateTable('orders')
            .set({ status: 'paid' })
            .where('id', '=', Number(event.session_id))
            .execute(),
      },
    });
  });

  it('types the outbox by topic', () => {
    const outbox = createOutbox<{ receipt: { orderId: number } }>({ db: fromPrisma(prisma) });
    outbox.add(prisma as unknown as Prisma.TransactionClient, 'receipt', { orderId: 1 });
    // @ts-expect-error: the payload of receipt has an orderId
    outbox.add(prisma, 'receipt', { order: 1 });
    // @ts-expect-error: no such topic
    outbox.add(prisma, 'sms', { orderId: 1 });
    outbox.start({ receipt: (payload, effect) => expectTypeOf(payload.orderId).toBeNumber() && effect.id });
  });

  it('refuses options that do not exist and bridges without a dialect where one is needed', () => {
    // @ts-expect-error: Kysely does not say its database
    fromKysely(kysely);
    // @ts-expect-error: lockTimeout is not an option (lockTimeoutMs is)
    createSqlStore({ db: fromPg(pool), lockTimeout: 1000 });
    // @ts-expect-error: a client is not a bridge
    createSqlStore({ db: pool });
  });
});
