import type { Reconciler } from '@pasis/core';
import type { Order } from '../orders/order.js';
import type { OrderStore } from '../orders/order-store.js';

/**
 * How long the return page waits for Pasis's answer before showing the order as it stands
 * (`pending`: the page refreshes itself and asks again). The check goes on meanwhile.
 */
export const RETURN_CHECK_WAIT_MS = 3_000;

/**
 * The order the return page shows (`GET /return?session_id=`): while it is `pending`, the
 * shop asks Pasis first (`reconciler.check`: Pasis's own answer, through the same handlers
 * and dedupe as the webhook), then reads the order again. The status shown is always the one
 * recorded by the server, never the query string's. If Pasis cannot be asked (down, slow),
 * the order is still `pending` and the page says so; nothing throws. `undefined`: no order
 * has this session.
 *
 * @example
 * const order = await orderForReturnPage({ orders, reconciler }, String(req.query.session_id ?? ''));
 * if (!order) return res.status(404).send(notFoundPage('We do not know this payment.'));
 * res.send(returnPage(order));
 */
export async function orderForReturnPage(
  deps: { orders: OrderStore; reconciler: Pick<Reconciler, 'check'> },
  sessionId: string,
): Promise<Order | undefined> {
  if (!sessionId) return undefined;
  const order = await deps.orders.findBySession(sessionId);
  if (order?.status !== 'pending') return order;
  let timer: NodeJS.Timeout | undefined;
  const waited = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, RETURN_CHECK_WAIT_MS);
  });
  // check() never rejects: a failure is an outcome, and the order simply stays pending.
  await Promise.race([deps.reconciler.check(sessionId), waited]);
  clearTimeout(timer);
  return deps.orders.findBySession(sessionId);
}
