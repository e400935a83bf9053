import { type SessionProcessedEvent, silentLogger } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { pasisWebhook } from '@pasis/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, type PostgresDatabase } from './index.js';
import { type Backend, pgBackend, pgliteBackend } from './test-support/backends.js';
import { databaseForTests } from './test-support/database.js';
import { deliver, type Listening, listen } from './test-support/receiver.js';

const secret = generateWebhookSecret();
const SCHEMA = [
  "CREATE TABLE orders (id serial PRIMARY KEY, session_id text NOT NULL UNIQUE, amount integer NOT NULL, status text NOT NULL DEFAULT 'pending')",
  'CREATE TABLE payments (id serial PRIMARY KEY, order_id integer NOT NULL, amount integer NOT NULL, delivery_id text NOT NULL)',
];

/** The README's quick start, as it stands there (the pool is the test's database). */
async function readmeShop(db: PostgresDatabase) {
  const store = createPostgresStore({ db, logger: silentLogger });
  await store.migrate();

  const app = express();
  app.use(
    pasisWebhook({
      store,
      secret,
      logger: silentLogger, // the README takes the secret from PASIS_WEBHOOK_SECRET
      on: {
        'session:processed': async (event, ctx) => {
          // ctx.tx is this delivery's transaction: write through it, and only through it.
          const { rows } = await ctx.tx.query<{ id: number; amount: number }>(
            "SELECT id, amount FROM orders WHERE session_id = $1 AND status = 'pending' FOR UPDATE",
            [event.session_id],
          );
          const order = rows[0];
          if (!order) return; // unknown, or already settled
          if (event.status !== 'success') {
            await ctx.tx.query("UPDATE orders SET status = 'cancelled' WHERE id = $1", [order.id]);
            return;
          }
          if (event.amount !== order.amount) {
            await ctx.tx.query("UPDATE orders SET status = 'amount_mismatch' WHERE id = $1", [order.id]);
            return;
          }
          await ctx.tx.query("UPDATE orders SET status = 'paid' WHERE id = $1", [order.id]);
          await ctx.tx.query('INSERT INTO payments (order_id, amount, delivery_id) VALUES ($1, $2, $3)', [
            order.id,
            event.amount,
            ctx.deliveryId,
          ]);
        },
      },
    }),
  );
  app.use(express.json());
  return { app, store };
}

function readmeScenario(name: string, setup: () => Promise<Backend>) {
  describe(`the README's quick start (${name})`, () => {
    let backend: Backend;
    let server: Listening;
    let url: string;
    beforeAll(async () => {
      backend = await setup();
      for (const sql of SCHEMA) await backend.query(sql);
      const { app } = await readmeShop(backend.db);
      server = await listen(app);
      url = `${server.url}/webhook`;
    });
    afterAll(async () => {
      await server?.close();
      await backend?.close();
    });

    const order = async (session: string, amount: number) =>
      void (await backend.query('INSERT INTO orders (session_id, amount) VALUES ($1, $2)', [
        session,
        amount,
      ]));
    const state = async (session: string) => {
      const { rows } = await backend.query(
        'SELECT o.status, count(p.id)::int AS payments FROM orders o LEFT JOIN payments p ON p.order_id = o.id WHERE o.session_id = $1 GROUP BY o.status',
        [session],
      );
      return rows[0];
    };
    const event = (
      session: string,
      amount: number,
      status: 'success' | 'cancelled',
    ): SessionProcessedEvent => ({
      kind: 'session:processed',
      session_id: session,
      amount,
      status,
    });

    it('pays an order once, whatever is redelivered', async () => {
      await order('sess_paid', 5000);
      const delivery = signWebhook(event('sess_paid', 5000, 'success'), { secret });
      expect(await deliver(url, delivery)).toMatchObject({ status: 200, outcome: 'handled' });
      expect(await deliver(url, delivery)).toMatchObject({ status: 200, outcome: 'duplicate' });
      // A redelivery under a fresh id is the same session outcome: the same key.
      const fresh = signWebhook(event('sess_paid', 5000, 'success'), { secret });
      expect(await deliver(url, fresh)).toMatchObject({ status: 200, outcome: 'duplicate' });
      expect(await state('sess_paid')).toEqual({ status: 'paid', payments: 1 });
    });

    it('cancels, and never pays a mismatched amount', async () => {
      await order('sess_cancelled', 5000);
      await order('sess_short', 5000);
      await deliver(url, signWebhook(event('sess_cancelled', 5000, 'cancelled'), { secret }));
      await deliver(url, signWebhook(event('sess_short', 4000, 'success'), { secret }));
      expect(await state('sess_cancelled')).toEqual({ status: 'cancelled', payments: 0 });
      expect(await state('sess_short')).toEqual({ status: 'amount_mismatch', payments: 0 });
    });
  });
}

const database = await databaseForTests("the README's quick start");
if (database) readmeScenario('pg', async () => pgBackend(database));
readmeScenario('PGlite', pgliteBackend);
