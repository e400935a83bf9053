import { escapeHtml, formatRwf } from '@pasis/sandbox/html';
import type { Product } from '../catalogue.js';
import type { Order } from '../orders/order.js';
import type { ReturnView } from '../reconcile/return-page.js';
import { layout } from './html.js';

/** The shop: the catalogue and the Buy form (posting to /checkout), with an error above it if any. */
export function shopPage(products: readonly Product[], error?: string): string {
  const options = products
    .map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)} — ${formatRwf(p.amount)}</option>`)
    .join('');
  const list = products
    .map((p) => `<li>${escapeHtml(p.name)}: <strong>${formatRwf(p.amount)}</strong></li>`)
    .join('');
  return layout(
    'Pasis demo shop',
    `<h1>Pasis demo shop</h1><section class="card"><h2>Products</h2><ul>${list}</ul></section>
<section class="card">${error ? `<p role="alert">${escapeHtml(error)}</p>` : ''}
<form method="post" action="/checkout"><label for="product_id">Product</label><select id="product_id" name="product_id">${options}</select>
<label for="email">Email</label><input id="email" type="email" name="email" required autocomplete="email">
<button type="submit">Buy</button></form></section>
<p class="muted">You pay on Pasis Checkout and come back here.</p>`,
  );
}

const statusLine = (order: Order) =>
  `<p class="status">Order status: <strong data-testid="order-status">${escapeHtml(order.status)}</strong></p>`;

/** An order's page. No email: anyone with the link can open it. */
export function orderPage(order: Order): string {
  return layout(
    `Order ${order.id}`,
    `<h1>Your order</h1><section class="card">${statusLine(order)}
<p>${formatRwf(order.amount)}</p><p class="muted">${escapeHtml(order.id)}</p></section><p><a href="/">Back to the shop</a></p>`,
  );
}

/** `4:05`: minutes and seconds left, rounded up (never `0:00` while some time is left). */
function timeLeft(ms: number): string {
  const seconds = Math.ceil(ms / 1000);
  return `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, '0')}`;
}

/**
 * The return URL's page: the status recorded by the server (from the webhook, or from
 * Pasis's answer), never the query string's. While the order is pending it says the payer
 * should approve the prompt on their phone, with about how long is left of the approval
 * window, and refreshes itself (every second) until the outcome is recorded.
 *
 * @example
 * res.send(returnPage({ order, approvalEndsAt: Date.parse(order.created_at) + 300_000 }));
 */
export function returnPage({ order, approvalEndsAt }: ReturnView, now = Date.now()): string {
  const pending = order.status === 'pending';
  const waiting = pending && approvalEndsAt !== undefined && approvalEndsAt > now;
  const message = {
    pending: waiting
      ? `Waiting for approval on your phone: approve the prompt to pay ${formatRwf(order.amount)} with your PIN. About ${timeLeft(approvalEndsAt - now)} left. This page updates by itself.`
      : 'We are waiting for Pasis to confirm your payment. This page updates by itself.',
    paid: 'Thank you! Your payment was received.',
    cancelled: 'The payment was cancelled. Nothing was charged.',
    amount_mismatch: 'The amount paid does not match your order. We will contact you.',
    failed: 'We could not start the payment. Please try again.',
  }[order.status];
  return layout(
    'Payment status',
    `<h1>Payment status</h1><section class="card" aria-live="polite">${statusLine(order)}<p data-testid="order-message">${escapeHtml(message)}</p>
<p><a href="/orders/${encodeURIComponent(order.id)}">Order details</a> · <a href="/">Back to the shop</a></p></section>`,
    pending ? 1 : undefined,
  );
}

/** A 404 page saying what was not found. */
export function notFoundPage(what: string): string {
  return layout(
    'Not found',
    `<h1>Not found</h1><p>${escapeHtml(what)}</p><p><a href="/">Back to the shop</a></p>`,
  );
}
