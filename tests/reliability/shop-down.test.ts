/**
 * The whole path under a fault: the sandbox delivers to a shop that is down for a while,
 * then comes back; the order ends paid, exactly once (one payment row).
 */
import { silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { createSandbox } from '@pasis/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../support/free-port.js';
import { backendsForTests, shopDatabaseForTests } from '../support/shop-database.js';
import { startShop } from '../support/shops.js';

const SUITE = 'a shop that is down when Pasis delivers';

describe.each(backendsForTests(SUITE))('a shop on %s that is down when Pasis delivers', (backend) => {
  const sandbox = createSandbox({ retrySchedule: [100, 200, 300, 400, 500, 600, 800, 1000] });
  afterAll(() => sandbox.close());

  it('gets the event once it is back, and the order is paid exactly once', async () => {
    const baseUrl = await sandbox.listen(0, '127.0.0.1');
    const port = await freePort();
    const shopUrl = `http://127.0.0.1:${port}`;
    const webhookSecret = generateWebhookSecret();
    // The database outlives the shop's process, as it does on a restart.
    const db = await shopDatabaseForTests(backend, SUITE);
    const config = {
      pasis: { appId: 'app_down', baseUrl, webhookSecret },
      database: db.database,
      logger: silentLogger,
    };
    sandbox.registerApp({
      name: 'Down shop',
      app_id: 'app_down',
      webhook_secret: webhookSecret,
      verified: true,
      callback_url: `${shopUrl}/webhook`,
      return_url: `${shopUrl}/return`,
    });
    try {
      let shop = await startShop('express', config, port);
      const res = await fetch(`${shopUrl}/checkout`, {
        method: 'POST',
        headers: { accept: 'application/json', 'content-type': 'application/json' },
        body: JSON.stringify({ email: 'customer@mail.com' }),
      });
      const { order_id, session_id } = (await res.json()) as { order_id: string; session_id: string };
      await shop.close();

      await fetch(`${baseUrl}/_sandbox/sessions/${session_id}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'success' }),
      });
      const delivery = [...sandbox.store.deliveries.values()].find((d) => d.session_id === session_id)!;
      await expect.poll(() => delivery.attempts.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
      expect(delivery.attempts.every((a) => a.error === 'ECONNREFUSED')).toBe(true);
      expect(await db.payments(order_id)).toEqual([]);

      shop = await startShop('express', config, port);
      await expect.poll(() => delivery.state, { timeout: 10_000 }).toBe('delivered');
      const order = await fetch(`${shopUrl}/orders/${order_id}`, { headers: { accept: 'application/json' } });
      expect(((await order.json()) as { status: string }).status).toBe('paid');
      // A redelivery afterwards is a duplicate: still paid once.
      await fetch(`${baseUrl}/_sandbox/deliveries/${delivery.id}/redeliver`, { method: 'POST' });
      await expect
        .poll(() => delivery.attempts.at(-1)?.response?.body, { timeout: 5000 })
        .toContain('"outcome":"duplicate"');
      expect(await db.payments(order_id)).toEqual([{ amount: 5000, delivery_id: delivery.webhook_id }]);
      await shop.close();
    } finally {
      await db.drop();
    }
  });
});
