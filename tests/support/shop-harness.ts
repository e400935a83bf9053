import { silentLogger } from '@pasis/core';
import { generateWebhookSecret } from '@pasis/core/testing';
import type { ReconcileConfig } from '@pasis/example-shop-kit';
import { createSandbox, type Sandbox, type SandboxDelivery } from '@pasis/sandbox';
import { expect } from 'vitest';
import { type CountingProxy, startCountingProxy } from './counting-proxy.js';
import type { LogCapture } from './log-capture.js';
import { type Backend, shopDatabaseForTests, type TestShopDatabase } from './shop-database.js';
import { type RunningShop, type ShopName, startShop } from './shops.js';

/** `GET /orders/:id` as JSON. */
export interface OrderJson {
  id: string;
  status: string;
  amount: number;
  session_id: string;
  payments: { amount: number; delivery_id: string; created_at: string }[];
}

/** One shop on a fresh database of its own, registered with a sandbox of its own. */
export interface ShopHarness {
  shop: RunningShop;
  sandbox: Sandbox;
  db: TestShopDatabase;
  /** The proxy the shop reaches the sandbox through, counting its retrieves (with `countRetrieves`). */
  proxy: CountingProxy | undefined;
  webhookSecret: string;
  /** `POST /checkout` as JSON; expects 201. */
  order(body?: object): Promise<{ order_id: string; session_id: string; payment_link: string }>;
  orderJson(orderId: string): Promise<OrderJson>;
  /** Polls the order until it has `status` (bounded: `timeout` ms, default 10 s). */
  eventually(orderId: string, status: string, timeout?: number): Promise<OrderJson>;
  /** Acts as the customer on the sandbox; answers the session's delivery (live: attempts fill in). */
  complete(sessionId: string, body: Record<string, unknown>): Promise<SandboxDelivery>;
  close(): Promise<void>;
}

const JSON_HEADERS = { accept: 'application/json', 'content-type': 'application/json' };

/**
 * Starts `name` on `backend` with a sandbox (retrying every 50–400 ms). The reconciler runs
 * with `reconcile` (default off).
 */
export async function startShopHarness(
  name: ShopName,
  backend: Backend,
  options: {
    suite: string;
    reconcile?: ReconcileConfig;
    /** Every log line of the shop, captured. Default: none (a silent logger). */
    logs?: LogCapture;
    /** Puts a counting proxy between the shop and the sandbox. Default `false`. */
    countRetrieves?: boolean;
  },
): Promise<ShopHarness> {
  const sandbox = createSandbox({ retrySchedule: [50, 100, 200, 400, 400, 400] });
  const webhookSecret = generateWebhookSecret();
  const appId = `app_${name}_${backend}`;
  const baseUrl = await sandbox.listen(0, '127.0.0.1');
  const proxy = options.countRetrieves ? await startCountingProxy(baseUrl) : undefined;
  const db = await shopDatabaseForTests(backend, `${options.suite} (${name}, ${backend})`);
  const shop = await startShop(name, {
    pasis: { appId, baseUrl: proxy?.url ?? baseUrl, webhookSecret },
    reconcile: options.reconcile,
    database: db.database,
    logger: silentLogger,
    logs: options.logs,
  }).catch(async (error: unknown) => {
    // A shop that cannot start leaves nothing behind.
    await Promise.all([sandbox.close(), db.drop(), proxy?.close()]);
    throw error;
  });
  sandbox.registerApp({
    name: `${name} shop`,
    app_id: appId,
    webhook_secret: webhookSecret,
    callback_url: `${shop.url}/webhook`,
    return_url: `${shop.url}/return`,
    verified: true,
  });

  async function orderJson(orderId: string): Promise<OrderJson> {
    const res = await fetch(`${shop.url}/orders/${orderId}`, { headers: { accept: 'application/json' } });
    expect(res.status).toBe(200);
    return (await res.json()) as OrderJson;
  }

  return {
    shop,
    sandbox,
    db,
    proxy,
    webhookSecret,
    async order(body = { email: 'customer@mail.com' }) {
      const res = await fetch(`${shop.url}/checkout`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(201);
      return (await res.json()) as { order_id: string; session_id: string; payment_link: string };
    },
    orderJson,
    async eventually(orderId, status, timeout = 10_000) {
      await expect
        .poll(async () => (await orderJson(orderId)).status, { timeout, interval: 50 })
        .toBe(status);
      return orderJson(orderId);
    },
    async complete(sessionId, body) {
      const res = await fetch(`${sandbox.url}/_sandbox/sessions/${sessionId}/complete`, {
        method: 'POST',
        headers: JSON_HEADERS,
        body: JSON.stringify(body),
      });
      expect(res.status).toBe(200);
      const { delivery_id } = (await res.json()) as { delivery_id: string };
      return sandbox.store.deliveries.get(delivery_id)!;
    },
    async close() {
      await shop.close();
      await proxy?.close();
      await sandbox.close();
      await db.drop();
    },
  };
}
