import { randomUUID } from 'node:crypto';
import type { Sql } from '../db/database.js';
import type { Order, OrderStatus } from './order.js';

/**
 * How long the reconciler keeps asking about a pending order: 2 days. A session abandoned
 * on the pay page stays `open` at Pasis forever; past this, asking again cannot help.
 */
export const RECONCILE_LOOKBACK_MS = 2 * 24 * 60 * 60 * 1000;

/** At most this many sessions per reconciler run (the most recent first); the rest wait for the next. */
export const RECONCILE_BATCH = 500;

/**
 * The orders, in SQL, outside any delivery: creating them, reading them, and the two writes
 * of the checkout. Settling a payment is not here: it runs inside a delivery's transaction
 * (`settleOrder`, through `ctx.tx`).
 */
export interface OrderStore {
  create(order: Pick<Order, 'product_id' | 'email' | 'amount'>): Promise<Order>;
  get(id: string): Promise<Order | undefined>;
  findBySession(sessionId: string): Promise<Order | undefined>;
  /** Records the checkout session of a new order (once). */
  attachSession(id: string, sessionId: string): Promise<void>;
  /** A checkout that could not start: `pending` → `failed` (a settled order is left alone). */
  markFailed(id: string): Promise<void>;
  /** The session ids of orders still `pending` that were created before `createdBefore` (the reconciler's list). */
  pendingSessions(query: { createdBefore: Date }): Promise<string[]>;
}

interface OrderRow {
  id: string;
  product_id: string;
  email: string;
  amount: number;
  status: OrderStatus;
  session_id: string | null;
  created_at: Date | string;
  payment_amount: number | null;
  delivery_id: string | null;
  paid_at: Date | string | null;
}

// An order has at most one payment (its primary key), so the join gives at most one row.
const SELECT_ORDER = `SELECT o.id, o.product_id, o.email, o.amount, o.status, o.session_id, o.created_at,
       p.amount AS payment_amount, p.delivery_id, p.created_at AS paid_at
  FROM orders o LEFT JOIN payments p ON p.order_id = o.id`;

const iso = (value: Date | string) => new Date(value).toISOString();

function toOrder(row: OrderRow): Order {
  return {
    id: row.id,
    product_id: row.product_id,
    email: row.email,
    amount: row.amount,
    status: row.status,
    ...(row.session_id === null ? {} : { session_id: row.session_id }),
    created_at: iso(row.created_at),
    payments:
      row.delivery_id === null
        ? []
        : [{ amount: row.payment_amount!, delivery_id: row.delivery_id, created_at: iso(row.paid_at!) }],
  };
}

/**
 * The order store on the shop's database.
 *
 * @example
 * const orders = createOrderStore(database);
 * const order = await orders.create({ product_id: 'airtime', email, amount: 1500 });
 */
export function createOrderStore(db: Sql): OrderStore {
  const one = async (where: string, value: string) => {
    const { rows } = await db.query<OrderRow>(`${SELECT_ORDER} WHERE ${where} = $1`, [value]);
    return rows[0] && toOrder(rows[0]);
  };
  return {
    async create({ product_id, email, amount }) {
      const id = `ord_${randomUUID()}`;
      await db.query('INSERT INTO orders (id, product_id, email, amount) VALUES ($1, $2, $3, $4)', [
        id,
        product_id,
        email,
        amount,
      ]);
      return (await one('o.id', id))!;
    },
    get: (id) => one('o.id', id),
    findBySession: (sessionId) => one('o.session_id', sessionId),
    async attachSession(id, sessionId) {
      await db.query('UPDATE orders SET session_id = $2 WHERE id = $1 AND session_id IS NULL', [
        id,
        sessionId,
      ]);
    },
    async markFailed(id) {
      await db.query("UPDATE orders SET status = 'failed' WHERE id = $1 AND status = 'pending'", [id]);
    },
    async pendingSessions({ createdBefore }) {
      const notBefore = new Date(createdBefore.getTime() - RECONCILE_LOOKBACK_MS);
      const { rows } = await db.query<{ session_id: string }>(
        `SELECT session_id FROM orders
          WHERE status = 'pending' AND session_id IS NOT NULL AND created_at < $1 AND created_at >= $2
          ORDER BY created_at DESC LIMIT ${RECONCILE_BATCH}`,
        [createdBefore.toISOString(), notBefore.toISOString()],
      );
      return rows.map((row) => row.session_id);
    },
  };
}
