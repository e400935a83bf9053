/**
 * Each example shop with its reconciler on (after 200 ms, every 250 ms) against the
 * sandbox, on PostgreSQL and on PGlite (CONTRACT §5): a lost webhook is made good by asking
 * Pasis, a webhook and the reconciler together pay once, a webhook after the reconciler
 * changes nothing, and a handler that fails keeps nothing until its redelivery succeeds.
 */
import type { SessionProcessedEvent } from '@pasis/core';
import { dedupeKey } from '@pasis/core/adapter';
import { createTestEvent, signWebhook } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsForTests } from '../support/shop-database.js';
import { type ShopHarness, startShopHarness } from '../support/shop-harness.js';
import { SHOP_NAMES } from '../support/shops.js';

const SUITE = 'shops reconciling with Pasis';
const RECONCILE = { afterMs: 200, intervalMs: 250 };
const cases = SHOP_NAMES.flatMap((name) =>
  backendsForTests(SUITE).map((backend) => [name, backend] as const),
);
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe.each(cases)('the %s shop on %s, reconciling', (name, backend) => {
  let h: ShopHarness;
  beforeAll(async () => {
    h = await startShopHarness(name, backend, { suite: SUITE, reconcile: RECONCILE });
  });
  afterAll(() => h?.close());

  it('pays an order whose webhook is lost, through the reconciler, within its interval', async () => {
    const created = await h.order();
    const delivery = await h.complete(created.session_id, { status: 'success', webhook: 'lose' });
    // Bounded well under the 60 s default schedule: only the configured one can make it.
    const paid = await h.eventually(created.order_id, 'paid', 10_000);
    expect(paid.payments).toEqual([
      { amount: 5000, delivery_id: `reconcile:${created.session_id}`, created_at: expect.any(String) },
    ]);
    expect(delivery).toMatchObject({ state: 'lost', attempts: [] });
  });

  it('settles a cancelled session whose webhook is lost as cancelled, with no payment', async () => {
    const created = await h.order();
    await h.complete(created.session_id, { status: 'cancelled', webhook: 'lose' });
    expect((await h.eventually(created.order_id, 'cancelled')).payments).toEqual([]);
  });

  it('pays once when the webhook arrives while the reconciler runs', async () => {
    const created = await h.order();
    await sleep(RECONCILE.afterMs + 2 * RECONCILE.intervalMs); // listed, asked about, still open
    const delivery = await h.complete(created.session_id, { status: 'success' });
    await h.eventually(created.order_id, 'paid');
    await expect.poll(() => delivery.state, { timeout: 10_000 }).toBe('delivered');
    await sleep(2 * RECONCILE.intervalMs); // runs after the payment find nothing to do
    // One payment, from whichever of the two claimed the session's outcome first.
    const payments = await h.db.payments(created.order_id);
    expect(payments).toHaveLength(1);
    expect(payments[0]).toMatchObject({ amount: 5000 });
    expect([delivery.webhook_id, `reconcile:${created.session_id}`]).toContain(payments[0]!.delivery_id);
  });

  it('changes nothing when the webhook arrives after the reconciler settled the order', async () => {
    const created = await h.order();
    const delivery = await h.complete(created.session_id, { status: 'success', webhook: 'lose' });
    const settled = await h.eventually(created.order_id, 'paid');
    // Pasis delivers after all (the same webhook-id): a duplicate, answered 200.
    await fetch(`${h.sandbox.url}/_sandbox/deliveries/${delivery.id}/redeliver`, { method: 'POST' });
    await expect.poll(() => delivery.state, { timeout: 10_000 }).toBe('delivered');
    expect(delivery.attempts.map((a) => a.response?.body)).toEqual(['{"ok":true,"outcome":"duplicate"}']);
    expect(await h.orderJson(created.order_id)).toEqual(settled);
    expect(await h.db.payments(created.order_id)).toEqual([
      { amount: 5000, delivery_id: `reconcile:${created.session_id}` },
    ]);
  });

  it('answers 500 when the handler throws, keeps nothing, and its redelivery pays once', async () => {
    const created = await h.order();
    // A fault in the shop's own database: this order's payment row is refused.
    const fault = `pasis_test_refuse_${name}`;
    await h.db.database.query(`CREATE OR REPLACE FUNCTION ${fault}() RETURNS trigger LANGUAGE plpgsql
      AS $$ BEGIN RAISE EXCEPTION 'test: payments refused'; END $$`);
    await h.db.database.query(`CREATE TRIGGER ${fault} BEFORE INSERT ON payments FOR EACH ROW
      WHEN (NEW.order_id = '${created.order_id}') EXECUTE FUNCTION ${fault}()`);
    // Signed as Pasis would; the session stays open at Pasis, so the reconciler leaves it alone.
    const event: SessionProcessedEvent = createTestEvent({ session_id: created.session_id });
    const delivery = signWebhook(event, { secret: h.webhookSecret });
    const deliver = () =>
      fetch(`${h.shop.url}/webhook`, { method: 'POST', body: delivery.body, headers: delivery.headers });
    const failed = await deliver();
    expect(failed.status).toBe(500);
    expect(((await failed.json()) as { error: { code: string } }).error.code).toBe('handler_failed');
    expect(await h.orderJson(created.order_id)).toMatchObject({ status: 'pending', payments: [] });
    const key = dedupeKey(event, delivery.headers['webhook-id']);
    expect(await h.db.hasDedupeRecord(key)).toBe(false);

    await h.db.database.query(`DROP TRIGGER ${fault} ON payments`);
    expect((await deliver()).status).toBe(200);
    expect(await h.db.payments(created.order_id)).toEqual([
      { amount: 5000, delivery_id: delivery.headers['webhook-id'] },
    ]);
    expect(await h.db.hasDedupeRecord(key)).toBe(true);
    expect((await deliver()).status).toBe(200); // and once more: a duplicate
    expect(await h.db.payments(created.order_id)).toHaveLength(1);
  });
});
