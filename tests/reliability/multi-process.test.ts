/**
 * Two shops in two processes (Express and Fastify), started at the same moment on one
 * PostgreSQL: 100 concurrent deliveries of one event, spread over both, pay the order
 * once (one payment row). Every answer is 200 or 409, and every 409, retried, ends 2xx.
 */
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { createSandbox } from '@pasis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  databaseForTests,
  postgresForTests,
  type TestDatabase,
} from '../../packages/postgres/src/test-support/database.js';
import { type ShopProcess, startShopProcess } from '../support/shop-process.js';

const SUITE = 'two shop processes sharing one PostgreSQL';
const secret = generateWebhookSecret();

describe.runIf(postgresForTests(SUITE) !== undefined)(SUITE, () => {
  const sandbox = createSandbox({ retrySchedule: [] });
  const shops: ShopProcess[] = [];
  let database: TestDatabase | undefined;
  let pool: ReturnType<TestDatabase['pool']>;

  beforeAll(async () => {
    database = await databaseForTests(SUITE);
    const baseUrl = await sandbox.listen(0, '127.0.0.1');
    sandbox.registerApp({
      name: 'Two shops',
      app_id: 'app_multi',
      webhook_secret: secret,
      verified: true,
      callback_url: 'http://127.0.0.1:9/webhook', // the test delivers itself
      return_url: 'http://127.0.0.1:9/return',
    });
    const env = {
      DATABASE_URL: database!.url,
      PASIS_APP_ID: 'app_multi',
      PASIS_BASE_URL: baseUrl,
      PASIS_WEBHOOK_SECRET: secret,
      RECONCILE_INTERVAL_MS: '0',
    };
    // At the same moment: both create the schema at once (an advisory lock queues them).
    shops.push(...(await Promise.all([startShopProcess('express', env), startShopProcess('fastify', env)])));
    pool = database!.pool();
  }, 120_000);
  afterAll(async () => {
    await Promise.all(shops.map((shop) => shop.stop()));
    await sandbox.close();
    await database?.drop();
  });

  it('pay the order once for 100 concurrent deliveries of its event', async () => {
    const checkout = await fetch(`${shops[0]!.url}/checkout`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@mail.com' }),
    });
    expect(checkout.status).toBe(201);
    const { order_id, session_id } = (await checkout.json()) as { order_id: string; session_id: string };
    const delivery = signWebhook(createTestEvent({ session_id }), { secret, id: `msg_${session_id}` });
    const send = (i: number) =>
      fetch(`${shops[i % 2]!.url}/webhook`, {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
        signal: AbortSignal.timeout(30_000),
      }).then((r) => r.status);
    const first = await Promise.all(Array.from({ length: 100 }, (_, i) => send(i)));
    expect(first.filter((status) => status !== 200 && status !== 409)).toEqual([]);
    expect(first.filter((status) => status === 200).length).toBeGreaterThan(0);

    // Pasis retries the 409s; they must all end 2xx.
    let pending = first.map((status, i) => (status === 409 ? i : -1)).filter((i) => i >= 0);
    for (let attempt = 0; pending.length > 0 && attempt < 20; attempt++) {
      await new Promise((r) => setTimeout(r, 100));
      const again = await Promise.all(pending.map(send));
      pending = pending.filter((_, j) => again[j] !== 200);
    }
    expect(pending).toEqual([]);

    const payments = await pool.query('SELECT order_id, amount, delivery_id FROM payments');
    expect(payments.rows).toEqual([{ order_id, amount: 5000, delivery_id: `msg_${session_id}` }]);
    const order = await pool.query('SELECT status FROM orders WHERE id = $1', [order_id]);
    expect(order.rows).toEqual([{ status: 'paid' }]);
  });
});
