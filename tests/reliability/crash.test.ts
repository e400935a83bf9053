/**
 * A shop process on PostgreSQL, SIGKILLed while it handles a payment: once after its writes
 * but before the commit, once just after the commit but before it answers. After the
 * sandbox redelivers, the order is paid with exactly one payment row.
 *
 * The shop runs its production code as `pnpm start` does (`src/main.ts`, no test hook):
 * the test stops it at the exact point from inside PostgreSQL, with a trigger on `payments`
 * that waits for a lock the test holds (support/payment-trap.ts). `after-writes`: the kill
 * lands while the payment's INSERT waits, the order's change and the dedupe record already
 * written in the same open transaction. `in-commit`: the COMMIT waits; the test freezes the
 * process (SIGSTOP), releases the lock, sees the commit land from outside, then kills it: it
 * committed, and never answered.
 */
import { createSandbox } from '@pasis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { databaseForTests, postgresForTests } from '../../packages/postgres/src/test-support/database.js';
import { freePort } from '../support/free-port.js';
import { type PaymentTrap, type TrapPoint, trapPayments } from '../support/payment-trap.js';
import { startShopProcess } from '../support/shop-process.js';

const SUITE = 'a shop process killed while it handles a payment';
const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

describe.runIf(postgresForTests(SUITE) !== undefined)(SUITE, () => {
  // No retry of its own within the test: the test redelivers once the shop is back.
  const sandbox = createSandbox({ retrySchedule: [600_000], deliveryTimeoutMs: 60_000 });
  let baseUrl: string;
  beforeAll(async () => {
    baseUrl = await sandbox.listen(0, '127.0.0.1');
  });
  afterAll(() => sandbox.close());

  it.each<[TrapPoint, string]>([
    ['after-writes', 'handled'],
    ['in-commit', 'duplicate'],
  ])('killed %s: redelivered, the order is paid once (the redelivery is %s)', async (point, outcome) => {
    const database = (await databaseForTests(SUITE))!;
    const pool = database.pool();
    const port = await freePort();
    const app = sandbox.registerApp({
      name: `Crash (${point})`,
      verified: true,
      callback_url: `http://127.0.0.1:${port}/webhook`,
      return_url: `http://127.0.0.1:${port}/return`,
    });
    const env = {
      DATABASE_URL: database.url,
      PASIS_APP_ID: app.app_id,
      PASIS_BASE_URL: baseUrl,
      PASIS_WEBHOOK_SECRET: app.webhook_secret,
      RECONCILE_INTERVAL_MS: '0', // only the webhook settles, here
    };
    let shop = await startShopProcess('express', env, port);
    let trap: PaymentTrap | undefined;
    try {
      const checkout = await fetch(`${shop.url}/checkout`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ email: 'customer@mail.com' }),
      });
      const { order_id, session_id } = (await checkout.json()) as { order_id: string; session_id: string };
      const payments = () =>
        pool.query('SELECT amount, delivery_id FROM payments WHERE order_id = $1', [order_id]);
      const dedupeRecords = () => pool.query('SELECT dedupe_key FROM pasis_webhook_deliveries');

      trap = await trapPayments(pool, point);
      const completed = await fetch(`${baseUrl}/_sandbox/sessions/${session_id}/complete`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify({ status: 'success' }),
      });
      const { delivery_id } = (await completed.json()) as { delivery_id: string };
      const delivery = sandbox.store.deliveries.get(delivery_id)!;
      const backend = await trap.held();

      if (point === 'after-writes') {
        shop.child.kill('SIGKILL');
        await trap.release();
        // The dead client's transaction rolls back once PostgreSQL notices it is gone.
        await expect
          .poll(
            async () =>
              (await pool.query('SELECT 1 FROM pg_stat_activity WHERE pid = $1', [backend])).rowCount,
            {
              timeout: 30_000,
            },
          )
          .toBe(0);
        expect((await payments()).rows).toEqual([]);
        expect((await dedupeRecords()).rows).toEqual([]);
      } else {
        shop.child.kill('SIGSTOP'); // frozen inside its COMMIT: it will never read the answer
        await trap.release();
        await expect.poll(async () => (await payments()).rowCount, { timeout: 30_000 }).toBe(1);
        expect((await dedupeRecords()).rows).toHaveLength(1);
        shop.child.kill('SIGKILL');
      }
      await shop.stop('SIGKILL'); // waits for the exit
      await trap.remove();
      trap = undefined;
      const answered = await pool.query('SELECT status FROM orders WHERE id = $1', [order_id]);
      expect(answered.rows).toEqual([{ status: point === 'after-writes' ? 'pending' : 'paid' }]);
      expect(delivery.state).not.toBe('delivered');

      // Back on the same port; the sandbox sends the same delivery again (same webhook-id).
      shop = await startShopProcess('express', env, port);
      await fetch(`${baseUrl}/_sandbox/deliveries/${delivery_id}/redeliver`, { method: 'POST' });
      await expect.poll(() => delivery.state, { timeout: 30_000 }).toBe('delivered');
      expect(delivery.attempts.at(-1)?.response?.body).toBe(`{"ok":true,"outcome":"${outcome}"}`);
      expect((await pool.query('SELECT status FROM orders WHERE id = $1', [order_id])).rows).toEqual([
        { status: 'paid' },
      ]);
      expect((await payments()).rows).toEqual([{ amount: 5000, delivery_id: delivery.webhook_id }]);
    } finally {
      await shop.stop('SIGKILL');
      await trap?.remove();
      await database.drop();
    }
  });
});
