import { PGlite } from '@electric-sql/pglite';
import {
  createWebhookHandler,
  type SessionProcessedEvent,
  silentLogger,
  type WebhookStore,
} from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { PrismaPg } from '@prisma/adapter-pg';
import knex, { type Knex } from 'knex';
import pg from 'pg';
import { DataSource, type EntityManager } from 'typeorm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlStore, fromKnex, fromPGlite, fromPg, fromPrisma, fromTypeORM } from './index.js';
import { PrismaClient } from './test-support/prisma/generated/postgresql/client.js';
import { databaseFor, testPool } from './test-support/servers.js';

// The mistake the issue names: a handler catches a failed statement (Prisma's P2002, a
// unique violation) and goes on. PostgreSQL has aborted the transaction, and its COMMIT
// silently rolls back: the store must notice and answer 503, never a false 200.
const secret = generateWebhookSecret();
const eventFor = (name: string): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: `sess_abort_${name.toLowerCase()}`,
  amount: 5000,
  status: 'success',
});
type Query = (sql: string) => Promise<unknown>;

function scenario(
  name: string,
  open: () => Promise<{
    store: WebhookStore<unknown>;
    run: (tx: unknown) => Query;
    query: Query;
    close(): Promise<void>;
  }>,
) {
  describe(`a handler that catches a failed statement and goes on (${name})`, () => {
    let db: Awaited<ReturnType<typeof open>>;
    beforeAll(async () => {
      db = await open();
      await db.query('CREATE TABLE payments (session_id text PRIMARY KEY)');
    });
    afterAll(() => db?.close());

    it('is answered 503 and keeps nothing; the redelivery runs the handler again', async () => {
      let catchIt = true;
      const webhooks = createWebhookHandler({
        secret,
        logger: silentLogger,
        store: db.store,
        on: {
          'session:processed': async (paid, ctx) => {
            const query = db.run(ctx.tx);
            await query(`INSERT INTO payments VALUES ('${paid.session_id}')`);
            if (catchIt) await query(`INSERT INTO payments VALUES ('${paid.session_id}')`).catch(() => {});
          },
        },
      });
      const event = eventFor(name);
      const delivery = signWebhook(event, { secret, id: `msg_abort_${name}` });
      const first = await webhooks.handle(delivery);
      expect([first.status, JSON.parse(first.body).error.code]).toEqual([503, 'store_unavailable']);
      expect(await db.query('SELECT * FROM payments')).toEqual([]);
      catchIt = false;
      expect(JSON.parse((await webhooks.handle(delivery)).body)).toEqual({ ok: true, outcome: 'handled' });
      expect(await db.query('SELECT * FROM payments')).toEqual([{ session_id: event.session_id }]);
    });
  });
}

const postgres = await databaseFor('postgres', 'aborted transactions on PostgreSQL');
if (postgres) {
  scenario('pg', async () => {
    const pool = testPool(postgres.url);
    const store = createSqlStore({ db: fromPg(pool), pruneIntervalMs: 0 });
    await store.migrate();
    await pool.query('DROP TABLE IF EXISTS payments');
    return {
      store: store as WebhookStore<unknown>,
      run: (tx) => (sql) => (tx as pg.PoolClient).query(sql),
      query: async (sql) => (await pool.query(sql)).rows,
      close: () => pool.end(),
    };
  });
  // The ORMs commit without looking at what PostgreSQL answered: the store's check before
  // the commit is what turns the silent rollback into a 503.
  scenario('Prisma', async () => {
    const prisma = new PrismaClient({ adapter: new PrismaPg({ connectionString: postgres.url }) });
    const store = createSqlStore({ db: fromPrisma(prisma), pruneIntervalMs: 0 });
    await prisma.$executeRawUnsafe('DROP TABLE IF EXISTS payments');
    return {
      store: store as WebhookStore<unknown>,
      run: (tx) => (sql) => (tx as PrismaClient).$executeRawUnsafe(sql),
      query: (sql) => prisma.$queryRawUnsafe(sql),
      close: () => prisma.$disconnect(),
    };
  });
  scenario('TypeORM', async () => {
    const dataSource = await new DataSource({ type: 'postgres', url: postgres.url }).initialize();
    const store = createSqlStore({ db: fromTypeORM(dataSource), pruneIntervalMs: 0 });
    await dataSource.query('DROP TABLE IF EXISTS payments');
    return {
      store: store as WebhookStore<unknown>,
      run: (tx) => (sql) => (tx as EntityManager).query(sql),
      query: (sql) => dataSource.query(sql),
      close: () => dataSource.destroy(),
    };
  });
  scenario('Knex', async () => {
    const db = knex({ client: 'pg', connection: postgres.url });
    const store = createSqlStore({ db: fromKnex(db), pruneIntervalMs: 0 });
    await db.raw('DROP TABLE IF EXISTS payments');
    return {
      store: store as WebhookStore<unknown>,
      run: (tx) => (sql) => (tx as Knex.Transaction).raw(sql),
      query: async (sql) => (await db.raw(sql)).rows,
      close: async () => {
        await db.destroy();
        await postgres.drop();
      },
    };
  });
}
scenario('PGlite', async () => {
  const pglite = new PGlite();
  const store = createSqlStore({ db: fromPGlite(pglite), pruneIntervalMs: 0 });
  await store.migrate();
  return {
    store: store as WebhookStore<unknown>,
    run: (tx) => (sql) => (tx as PGlite).query(sql),
    query: async (sql) => (await pglite.query(sql)).rows,
    close: () => pglite.close(),
  };
});
