/** Where an order is in its life. `paid`, `cancelled` and `amount_mismatch` are final. */
export type OrderStatus = 'pending' | 'paid' | 'cancelled' | 'amount_mismatch' | 'failed';

/** One row of the `payments` ledger: what paid the order, and when it was recorded. */
export interface Payment {
  /** Whole Rwandan francs, as Pasis reported them. */
  amount: number;
  /** The delivery that paid it: a `webhook-id`, or `reconcile:<session_id>` when the shop asked Pasis. */
  delivery_id: string;
  /** ISO 8601. */
  created_at: string;
}

/** An order as the shop keeps it, with its payments (at most one: a paid order has exactly one). */
export interface Order {
  id: string;
  product_id: string;
  email: string;
  /** Whole Rwandan francs, from the catalogue. */
  amount: number;
  status: OrderStatus;
  session_id?: string;
  /** ISO 8601. */
  created_at: string;
  payments: Payment[];
}

/**
 * `GET /orders/:id` as JSON (CONTRACT §5): no email (the page is reachable by anyone with
 * the link).
 *
 * @example
 * res.json(orderJson(order)); // { id, status, amount, session_id, payments: [{ amount, delivery_id, created_at }] }
 */
export function orderJson(order: Order) {
  return {
    id: order.id,
    status: order.status,
    amount: order.amount,
    session_id: order.session_id,
    payments: order.payments.map(({ amount, delivery_id, created_at }) => ({
      amount,
      delivery_id,
      created_at,
    })),
  };
}
