/**
 * Each example shop against the sandbox, in-process on real ports, on a real database of
 * its own (PostgreSQL, and PGlite on disk): an order becomes paid only through a verified
 * webhook, with exactly one row in its payments ledger. One test for the three shops
 * (CONTRACT §5).
 */
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendsForTests } from '../support/shop-database.js';
import { type ShopHarness, startShopHarness } from '../support/shop-harness.js';
import { SHOP_NAMES } from '../support/shops.js';

const SUITE = 'shops end to end';
const cases = SHOP_NAMES.flatMap((name) =>
  backendsForTests(SUITE).map((backend) => [name, backend] as const),
);

describe.each(cases)('the %s shop on %s, with the sandbox', (name, backend) => {
  let h: ShopHarness;
  beforeAll(async () => {
    h = await startShopHarness(name, backend, { suite: SUITE });
  });
  afterAll(() => h?.close());

  const post = (delivery: { body: string; headers: Record<string, string> }) =>
    fetch(`${h.shop.url}/webhook`, { method: 'POST', body: delivery.body, headers: delivery.headers });

  it('creates a pending order with the catalogue amount and a payment link on the sandbox', async () => {
    const created = await h.order({ email: 'customer@mail.com', product_id: 'airtime', amount: 1 });
    expect(created.payment_link).toBe(`${h.sandbox.url}/pay/${created.session_id}`);
    expect(await h.orderJson(created.order_id)).toEqual({
      id: created.order_id,
      status: 'pending',
      amount: 1500,
      session_id: created.session_id,
      payments: [],
    });
  });

  it('marks the order paid when the session is paid, with one payment row from that delivery', async () => {
    const created = await h.order();
    const delivery = await h.complete(created.session_id, { status: 'success' });
    const paid = await h.eventually(created.order_id, 'paid');
    expect(paid.payments).toEqual([
      { amount: 5000, delivery_id: delivery.webhook_id, created_at: expect.any(String) },
    ]);
    expect(await h.db.payments(created.order_id)).toHaveLength(1);
    const page = await (
      await fetch(`${h.shop.url}/return?session_id=${created.session_id}&status=cancelled`)
    ).text();
    expect(page).toContain('data-testid="order-status">paid<');
  });

  it('shows paid on the return page when the webhook is lost: it asks Pasis (the reconciler is off)', async () => {
    const created = await h.order();
    const delivery = await h.complete(created.session_id, { status: 'success', webhook: 'lose' });
    expect((await h.orderJson(created.order_id)).status).toBe('pending');
    const page = await (
      await fetch(`${h.shop.url}/return?session_id=${created.session_id}&status=cancelled`)
    ).text();
    expect(page).toContain('data-testid="order-status">paid<');
    expect((await h.orderJson(created.order_id)).payments).toEqual([
      { amount: 5000, delivery_id: `reconcile:${created.session_id}`, created_at: expect.any(String) },
    ]);
    expect(delivery).toMatchObject({ state: 'lost', attempts: [] });
  });

  it('marks the order cancelled when the session is cancelled, with no payment', async () => {
    const created = await h.order();
    await h.complete(created.session_id, { status: 'cancelled' });
    expect((await h.eventually(created.order_id, 'cancelled')).payments).toEqual([]);
  });

  it('pays once when the sandbox sends the same delivery twice at the same moment', async () => {
    const created = await h.order();
    const delivery = await h.complete(created.session_id, { status: 'success', webhook: 'duplicate' });
    await h.eventually(created.order_id, 'paid');
    await expect.poll(() => delivery.state, { timeout: 10_000 }).toBe('delivered');
    expect(await h.db.payments(created.order_id)).toHaveLength(1);
  });

  it('ignores a forged webhook: 401, and the order stays pending', async () => {
    const created = await h.order();
    const event = createTestEvent({ session_id: created.session_id });
    expect((await post(signWebhook(event, { secret: generateWebhookSecret() }))).status).toBe(401);
    const unsigned = { body: JSON.stringify(event), headers: { 'content-type': 'application/json' } };
    expect((await post(unsigned)).status).toBe(400);
    expect((await h.orderJson(created.order_id)).status).toBe('pending');
    // The return page asks Pasis, which says the session is still open.
    const page = await (
      await fetch(`${h.shop.url}/return?session_id=${created.session_id}&status=success`)
    ).text();
    expect(page).toContain('data-testid="order-status">pending<');
    expect(await h.db.payments(created.order_id)).toEqual([]);
  });

  it('records amount_mismatch, never paid and no payment, when the paid amount differs', async () => {
    const created = await h.order();
    const event = createTestEvent({ session_id: created.session_id, amount: 1 });
    expect((await post(signWebhook(event, { secret: h.webhookSecret }))).status).toBe(200);
    expect(await h.orderJson(created.order_id)).toMatchObject({ status: 'amount_mismatch', payments: [] });
  });

  it('sends a browser form to the payment link with 303, and refuses bad input', async () => {
    const form = await fetch(`${h.shop.url}/checkout`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'a@b.rw' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toMatch(new RegExp(`^${h.sandbox.url}/pay/sess_`));
    const bad = await fetch(`${h.shop.url}/checkout`, {
      method: 'POST',
      headers: { accept: 'application/json', 'content-type': 'application/json' },
      body: JSON.stringify({ email: 'nope' }),
    });
    expect(bad.status).toBe(400);
    const unknown = await fetch(`${h.shop.url}/orders/ord_unknown`, {
      headers: { accept: 'application/json' },
    });
    expect(unknown.status).toBe(404);
    expect((await fetch(`${h.shop.url}/return?session_id=sess_unknown`)).status).toBe(404);
    expect(await (await fetch(`${h.shop.url}/`)).text()).toMatch(/<button type="submit">Buy<\/button>/);
  });
});
