import type { PGlite } from '@electric-sql/pglite';
import { createWebhookHandler, type SessionProcessedEvent, silentLogger } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { eq } from 'drizzle-orm';
import { drizzle as drizzleNodePg } from 'drizzle-orm/node-postgres';
import { integer, type PgDatabase, pgTable, serial, text } from 'drizzle-orm/pg-core';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate, type PostgresDatabase } from './index.js';
import { type Backend, pgBackend, pgliteBackend } from './test-support/backends.js';
import { databaseForTests } from './test-support/database.js';

// The README's Drizzle example, run: the ORM writes through the delivery's own connection.
const orders = pgTable('orders', {
  id: serial('id').primaryKey(),
  sessionId: text('session_id').notNull().unique(),
  amount: integer('amount').notNull(),
  status: text('status').notNull().default('pending'),
});
const payments = pgTable('payments', {
  id: serial('id').primaryKey(),
  orderId: integer('order_id').notNull(),
  amount: integer('amount').notNull(),
  deliveryId: text('delivery_id').notNull(),
});
const SCHEMA = [
  "CREATE TABLE orders (id serial PRIMARY KEY, session_id text NOT NULL UNIQUE, amount integer NOT NULL, status text NOT NULL DEFAULT 'pending')",
  'CREATE TABLE payments (id serial PRIMARY KEY, order_id integer NOT NULL, amount integer NOT NULL, delivery_id text NOT NULL)',
];

const secret = generateWebhookSecret();

function drizzleScenario(
  name: string,
  setup: () => Promise<Backend>,
  /** Drizzle over the delivery's connection (ctx.tx.client), for each driver. */
  // biome-ignore lint/suspicious/noExplicitAny: either driver's query result type
  orm: (client: unknown) => PgDatabase<any>,
) {
  describe(`Drizzle in a handler, through ctx.tx.client (${name})`, () => {
    let backend: Backend;
    beforeAll(async () => {
      backend = await setup();
      await migrate(backend.db as PostgresDatabase);
      for (const sql of SCHEMA) await backend.query(sql);
    });
    afterAll(() => backend?.close());

    it('marks the order paid and books one payment with the dedupe record; a throw keeps neither', async () => {
      const event: SessionProcessedEvent = createTestEvent({ session_id: 'sess_d' });
      await backend.query("INSERT INTO orders (session_id, amount) VALUES ('sess_d', 5000)");
      let fail = true;
      const webhooks = createWebhookHandler({
        secret,
        logger: silentLogger,
        store: createPostgresStore({ db: backend.db, pruneIntervalMs: 0 }),
        on: {
          'session:processed': async (paid, ctx) => {
            const db = orm(ctx.tx.client);
            const [order] = await db
              .update(orders)
              .set({ status: 'paid' })
              .where(eq(orders.sessionId, paid.session_id))
              .returning();
            await db
              .insert(payments)
              .values({ orderId: order!.id, amount: paid.amount, deliveryId: ctx.deliveryId });
            if (fail) throw new Error('the receipt mailer is down');
          },
        },
      });
      const delivery = signWebhook(event, { secret, id: 'msg_drizzle' });
      expect((await webhooks.handle(delivery)).status).toBe(500);
      const state = async () => [
        (await backend.query('SELECT status FROM orders')).rows,
        (await backend.query('SELECT amount, delivery_id FROM payments')).rows,
      ];
      expect(await state()).toEqual([[{ status: 'pending' }], []]);
      fail = false;
      expect((await webhooks.handle(delivery)).status).toBe(200);
      expect(JSON.parse((await webhooks.handle(delivery)).body)).toEqual({ ok: true, outcome: 'duplicate' });
      expect(await state()).toEqual([[{ status: 'paid' }], [{ amount: 5000, delivery_id: 'msg_drizzle' }]]);
    });
  });
}

const database = await databaseForTests('Drizzle on the PostgreSQL store');
if (database) {
  drizzleScenario(
    'node-postgres',
    async () => pgBackend(database),
    (client) => drizzleNodePg({ client: client as import('pg').PoolClient }),
  );
}
// PGlite's Transaction answers the same query() that Drizzle's PGlite driver calls.
drizzleScenario('PGlite', pgliteBackend, (client) => drizzlePglite({ client: client as PGlite }));
