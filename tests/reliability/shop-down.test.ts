/**
 * The whole path under a fault: the sandbox delivers to a shop that is down for a while,
 * then comes back; the order ends paid, exactly once.
 */
import { once } from 'node:events';
import type { Server } from 'node:http';
import { freePort } from '../support/free-port.js';
import { createMemoryStore, silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import { createSandbox } from '@pasis/sandbox';
import { afterAll, describe, expect, it } from 'vitest';
import { createApp } from '../../examples/express/src/app.js';
import { createMemoryOrderStore, type OrderStore } from '@pasis/example-shop-kit';

describe('a shop that is down when Pasis delivers', () => {
  const sandbox = createSandbox({ retrySchedule: [100, 200, 300, 400, 500, 600, 800, 1000] });
  afterAll(() => sandbox.close());

  it('gets the event once it is back, and the order is paid exactly once', async () => {
    const baseUrl = await sandbox.listen(0, '127.0.0.1');
    const port = await freePort();
    const shopUrl = `http://127.0.0.1:${port}`;
    const webhookSecret = generateWebhookSecret();
    // The database and the dedupe store outlive the process (as they would on a restart).
    const memory = createMemoryOrderStore();
    let paidTransitions = 0;
    const orders: OrderStore = {
      ...memory,
      async transition(id, from, to) {
        const changed = await memory.transition(id, from, to);
        if (changed && to === 'paid') paidTransitions++;
        return changed;
      },
    };
    const webhookStore = createMemoryStore();
    const config = {
      pasis: { appId: 'app_down', baseUrl, webhookSecret },
      orders,
      webhookStore,
      logger: silentLogger,
    };
    const start = async () => {
      const server: Server = createApp(config).listen(port, '127.0.0.1');
      await once(server, 'listening');
      return server;
    };
    const stop = (server: Server) =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      });

    sandbox.registerApp({
      name: 'Down shop',
      app_id: 'app_down',
      webhook_secret: webhookSecret,
      verified: true,
      callback_url: `${shopUrl}/webhook`,
      return_url: `${shopUrl}/return`,
    });
    let shop = await start();
    const res = await fetch(`${shopUrl}/checkout`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'customer@mail.com' }),
    });
    const { order_id, session_id } = (await res.json()) as { order_id: string; session_id: string };
    await stop(shop);

    await fetch(`${baseUrl}/_sandbox/sessions/${session_id}/complete`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ status: 'success' }),
    });
    const delivery = [...sandbox.store.deliveries.values()].find((d) => d.session_id === session_id)!;
    await expect.poll(() => delivery.attempts.length, { timeout: 5000 }).toBeGreaterThanOrEqual(2);
    expect(delivery.attempts.every((a) => a.error === 'ECONNREFUSED')).toBe(true);
    expect((await memory.get(order_id))?.status).toBe('pending');

    shop = await start();
    await expect.poll(() => delivery.state, { timeout: 10_000 }).toBe('delivered');
    expect((await orders.get(order_id))?.status).toBe('paid');
    // A redelivery afterwards is a duplicate: still paid once.
    await fetch(`${baseUrl}/_sandbox/deliveries/${delivery.id}/redeliver`, { method: 'POST' });
    await expect.poll(() => delivery.attempts.at(-1)?.status_code, { timeout: 5000 }).toBe(200);
    expect(paidTransitions).toBe(1);
    await stop(shop);
  });
});
