import type { PasisLogger, SessionProcessedEvent } from '@pasis/core';
import type { Sql } from '../db/database.js';
import type { OrderStatus } from './order.js';

/** What a `session:processed` event did to its order. */
export type SettleResult = 'unknown_session' | 'already_final' | Exclude<OrderStatus, 'pending' | 'failed'>;

// The order's state machine, in SQL: only a `pending` order changes, once, to the state the
// outcome decides. The row lock this takes makes a concurrent settlement of the same order
// wait, then find it no longer pending.
const SETTLE = `UPDATE orders
   SET status = CASE
     WHEN $2::text = 'cancelled' THEN 'cancelled'
     WHEN amount = $3::integer THEN 'paid'
     ELSE 'amount_mismatch'
   END
 WHERE session_id = $1 AND status = 'pending'
 RETURNING id, status`;

const RECORD_PAYMENT = 'INSERT INTO payments (order_id, amount, delivery_id) VALUES ($1, $2, $3)';

/**
 * The one place an order follows a payment (CONTRACT §5): `success` with the order's amount
 * → `paid`, with its one row in `payments`; another amount → `amount_mismatch` (never
 * `paid`); `cancelled` → `cancelled`; an order already final is not changed again, so a late
 * or repeated event is harmless. Run it through the delivery's `ctx.tx`: the status change,
 * the payment row and the delivery's dedupe record then commit together, or not at all.
 *
 * @example
 * on: { 'session:processed': (event, ctx) => settleOrder(ctx.tx, event, ctx.deliveryId) }
 */
export async function settleOrder(
  tx: Sql,
  event: SessionProcessedEvent,
  deliveryId: string,
): Promise<SettleResult> {
  const { rows } = await tx.query<{ id: string; status: SettleResult }>(SETTLE, [
    event.session_id,
    event.status,
    event.amount,
  ]);
  const order = rows[0];
  if (order === undefined) {
    const known = await tx.query('SELECT 1 FROM orders WHERE session_id = $1', [event.session_id]);
    return known.rowCount > 0 ? 'already_final' : 'unknown_session';
  }
  if (order.status === 'paid') await tx.query(RECORD_PAYMENT, [order.id, event.amount, deliveryId]);
  return order.status;
}

/** What a handler needs of its context to settle: the delivery's transaction, id and logger. */
export interface SettleContext {
  tx: Sql;
  deliveryId: string;
  logger: PasisLogger;
}

/**
 * The shops' `session:processed` handler, whatever brought the event (a webhook, the return
 * page's check, the reconciler): settles the order in the delivery's transaction and says
 * what happened in one line (ids only: never the customer's email).
 *
 * @example
 * pasisWebhook({ store: database.webhookStore, on: { 'session:processed': onSessionProcessed } });
 */
export async function onSessionProcessed(event: SessionProcessedEvent, ctx: SettleContext): Promise<void> {
  const result = await settleOrder(ctx.tx, event, ctx.deliveryId);
  ctx.logger.info(
    `session ${event.session_id} ${event.status}: order ${result} (delivery ${ctx.deliveryId})`,
  );
}
