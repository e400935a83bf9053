import type { PasisClient } from '@pasis/core';
import type { Product } from '../catalogue.js';
import type { Order } from './order.js';
import type { OrderStore } from './order-store.js';

/** A checkout that started: the order (with its session) and where to send the customer. */
export interface StartedCheckout {
  order: Order & { session_id: string };
  paymentLink: string;
}

/**
 * `POST /checkout` after its input was checked (CONTRACT §5): a `pending` order whose amount
 * comes from the catalogue, never from the request, then its checkout session, keyed on the
 * order (a retried create cannot open a second session), recorded on the order. When Pasis
 * refuses or cannot be reached, the order becomes `failed` and the error is rethrown (a
 * `PasisError`: `checkoutErrorStatus(error)` is its HTTP status).
 *
 * @example
 * const { order, paymentLink } = await startCheckout({ orders, client: pasis }, product, email);
 */
export async function startCheckout(
  deps: { orders: OrderStore; client: Pick<PasisClient, 'checkout'> },
  product: Product,
  email: string,
): Promise<StartedCheckout> {
  const { orders, client } = deps;
  const order = await orders.create({ product_id: product.id, email, amount: product.amount });
  try {
    const session = await client.checkout.sessions.create(
      { items: [{ name: product.name, amount: product.amount }], email },
      { idempotencyKey: order.id },
    );
    await orders.attachSession(order.id, session.session_id);
    return { order: { ...order, session_id: session.session_id }, paymentLink: session.payment_link };
  } catch (error) {
    // The customer is told why the checkout failed even if marking the order fails too (the
    // database down): the order then stays pending without a session, listed by nothing.
    await orders.markFailed(order.id).catch(() => {});
    throw error;
  }
}
