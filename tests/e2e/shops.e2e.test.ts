/**
 * Each example shop against the sandbox, both in-process on real ports: an order becomes
 * paid only through a verified webhook. One test for the three shops (CONTRACT §5).
 */
import { silentLogger } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { createSandbox } from '@pasis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningShop, SHOP_NAMES, startShop } from '../support/shops.js';

describe.each(SHOP_NAMES)('the %s shop with the sandbox', (name) => {
  const sandbox = createSandbox({ retrySchedule: [50, 100, 200] });
  const webhookSecret = generateWebhookSecret();
  const appId = `app_${name}_shop`;
  let shop: RunningShop;
  let shopUrl: string;

  beforeAll(async () => {
    const baseUrl = await sandbox.listen(0, '127.0.0.1');
    shop = await startShop(name, { pasis: { appId, baseUrl, webhookSecret }, logger: silentLogger });
    shopUrl = shop.url;
    sandbox.registerApp({
      name: `${name} shop`,
      app_id: appId,
      webhook_secret: webhookSecret,
      callback_url: `${shopUrl}/webhook`,
      return_url: `${shopUrl}/return`,
      verified: true,
    });
  });
  afterAll(async () => {
    await shop.close();
    await sandbox.close();
  });

  const json = { accept: 'application/json', 'content-type': 'application/json' };

  async function order(body: object = { email: 'customer@mail.com' }) {
    const res = await fetch(`${shopUrl}/checkout`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(201);
    return (await res.json()) as { order_id: string; session_id: string; payment_link: string };
  }

  async function statusOf(orderId: string): Promise<string> {
    const res = await fetch(`${shopUrl}/orders/${orderId}`, { headers: { accept: 'application/json' } });
    return ((await res.json()) as { status: string }).status;
  }

  async function eventually(orderId: string, expected: string) {
    await expect.poll(() => statusOf(orderId), { timeout: 5000, interval: 25 }).toBe(expected);
  }

  const complete = (sessionId: string, status: 'success' | 'cancelled') =>
    fetch(`${sandbox.url}/_sandbox/sessions/${sessionId}/complete`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ status }),
    });

  it('creates a pending order with the catalogue amount and a payment link on the sandbox', async () => {
    const created = await order({ email: 'customer@mail.com', product_id: 'airtime', amount: 1 });
    expect(created.payment_link).toBe(`${sandbox.url}/pay/${created.session_id}`);
    const res = await fetch(`${shopUrl}/orders/${created.order_id}`, {
      headers: { accept: 'application/json' },
    });
    expect(await res.json()).toEqual({
      id: created.order_id,
      status: 'pending',
      amount: 1500,
      session_id: created.session_id,
    });
  });

  it('marks the order paid when the session is paid', async () => {
    const created = await order();
    expect((await complete(created.session_id, 'success')).status).toBe(200);
    await eventually(created.order_id, 'paid');
    const page = await (
      await fetch(`${shopUrl}/return?session_id=${created.session_id}&status=cancelled`)
    ).text();
    expect(page).toContain('data-testid="order-status">paid<');
  });

  it('marks the order cancelled when the session is cancelled', async () => {
    const created = await order();
    await complete(created.session_id, 'cancelled');
    await eventually(created.order_id, 'cancelled');
  });

  it('ignores a forged webhook: 401, and the order stays pending', async () => {
    const created = await order();
    const event = {
      kind: 'session:processed',
      session_id: created.session_id,
      amount: 5000,
      status: 'success',
    };
    for (const delivery of [
      signWebhook(event, { secret: generateWebhookSecret() }),
      { body: JSON.stringify(event), headers: { 'content-type': 'application/json' } },
    ]) {
      const res = await fetch(`${shopUrl}/webhook`, {
        method: 'POST',
        body: delivery.body,
        headers: delivery.headers,
      });
      expect([400, 401]).toContain(res.status);
    }
    expect(await statusOf(created.order_id)).toBe('pending');
    const page = await (
      await fetch(`${shopUrl}/return?session_id=${created.session_id}&status=success`)
    ).text();
    expect(page).toContain('data-testid="order-status">pending<');
  });

  it('records amount_mismatch, never paid, when the paid amount differs', async () => {
    const created = await order();
    const event = { kind: 'session:processed', session_id: created.session_id, amount: 1, status: 'success' };
    const delivery = signWebhook(event, { secret: webhookSecret });
    expect(
      (await fetch(`${shopUrl}/webhook`, { method: 'POST', body: delivery.body, headers: delivery.headers }))
        .status,
    ).toBe(200);
    expect(await statusOf(created.order_id)).toBe('amount_mismatch');
  });

  it('sends a browser form to the payment link with 303, and refuses bad input', async () => {
    const form = await fetch(`${shopUrl}/checkout`, {
      method: 'POST',
      body: new URLSearchParams({ email: 'a@b.rw' }),
      redirect: 'manual',
    });
    expect(form.status).toBe(303);
    expect(form.headers.get('location')).toMatch(new RegExp(`^${sandbox.url}/pay/sess_`));
    const bad = await fetch(`${shopUrl}/checkout`, {
      method: 'POST',
      headers: json,
      body: JSON.stringify({ email: 'nope' }),
    });
    expect(bad.status).toBe(400);
    expect(
      (await fetch(`${shopUrl}/orders/ord_unknown`, { headers: { accept: 'application/json' } })).status,
    ).toBe(404);
    expect(await (await fetch(`${shopUrl}/`)).text()).toMatch(/<button type="submit">Buy<\/button>/);
  });
});
