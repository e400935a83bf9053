import type { SessionProcessedEvent } from '@pasis/core';
import type { OrderStatus, OrderStore } from './order-store.js';

/** What a `session:processed` event did to an order. */
export type SettleResult = 'unknown_session' | 'already_final' | OrderStatus;

/**
 * The one place an order's status follows a payment: `success` with the order's amount →
 * `paid`; a different amount → `amount_mismatch` (never `paid`); `cancelled` → `cancelled`.
 * Only a `pending` order changes: a final state is never changed again, so a late or
 * repeated event is harmless.
 */
export async function settleOrder(orders: OrderStore, event: SessionProcessedEvent): Promise<SettleResult> {
  const order = await orders.findBySession(event.session_id);
  if (!order) return 'unknown_session';
  const next: OrderStatus =
    event.status === 'cancelled' ? 'cancelled' : event.amount === order.amount ? 'paid' : 'amount_mismatch';
  return (await orders.transition(order.id, 'pending', next)) ? next : 'already_final';
}
