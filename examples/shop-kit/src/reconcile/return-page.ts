import type { Reconciler } from '@pasis/core';
import type { Order } from '../orders/order.js';
import type { OrderStore } from '../orders/order-store.js';

/**
 * How long the return page waits for Pasis's answer before showing the order as it stands
 * (`pending`: the page refreshes itself and asks again). The check goes on meanwhile.
 */
export const RETURN_CHECK_WAIT_MS = 3_000;

/** How often the return page may ask Pasis about one pending order (`RETURN_CHECK_INTERVAL_MS`): 5 s. */
export const DEFAULT_RETURN_CHECK_INTERVAL_MS = 5_000;

/**
 * How long a payer has to approve the prompt on their phone (`APPROVAL_WINDOW_MS`): about 5
 * minutes with MTN MoMo and Airtel Money, and the sandbox's default (CONTRACT §4). Past it, a
 * payment nobody approved ends cancelled.
 */
export const DEFAULT_APPROVAL_WINDOW_MS = 5 * 60_000;

/** What the return page shows: the order as recorded, and while it is pending, until when its payer may approve. */
export interface ReturnView {
  order: Order;
  /**
   * While the order is pending: when the approval window ends at the latest, in ms since the
   * epoch (counted from the order's checkout: the payer pressed Pay after it).
   */
  approvalEndsAt?: number;
}

// Sessions remembered; a flood of new orders pushes the oldest out (they may then be asked again).
const MAX_REMEMBERED = 10_000;

/** What {@link createReturnPage} is built from. */
export interface ReturnPageOptions {
  orders: OrderStore;
  reconciler: Pick<Reconciler, 'check'>;
  /** At most one check per order this often, in ms. Default {@link DEFAULT_RETURN_CHECK_INTERVAL_MS}. */
  intervalMs?: number;
  /** The payer's approval window, in ms. Default {@link DEFAULT_APPROVAL_WINDOW_MS}. */
  approvalWindowMs?: number;
  /** The clock, in ms. Default `Date.now`. */
  now?: () => number;
}

/**
 * The return page's logic (`GET /return?session_id=`): resolves with the order to show (and,
 * while it is pending, the end of its approval window), or `undefined` when no order has this
 * session. While the order is `pending`, the shop asks
 * Pasis first (`reconciler.check`: Pasis's own answer, through the same handlers and dedupe
 * as the webhook), waiting at most {@link RETURN_CHECK_WAIT_MS}, then reads the order again.
 * It asks about one order at most once per `intervalMs` (CONTRACT §5): anyone can create a
 * pending order and reload its page, and each check spends the merchant's rate limit at
 * Pasis; in between, the page shows the order as recorded, which is the last answer. The
 * status shown is always the server's, never the query string's; nothing throws.
 *
 * @example
 * const returnView = createReturnPage({ orders, reconciler, intervalMs: 5_000 });
 * const view = await returnView(String(req.query.session_id ?? '')); // { order, approvalEndsAt? }
 */
export function createReturnPage(options: ReturnPageOptions) {
  const {
    orders,
    reconciler,
    intervalMs = DEFAULT_RETURN_CHECK_INTERVAL_MS,
    approvalWindowMs = DEFAULT_APPROVAL_WINDOW_MS,
    now = Date.now,
  } = options;
  const askedAt = new Map<string, number>();
  const view = (order: Order | undefined): ReturnView | undefined => {
    if (order === undefined) return undefined;
    if (order.status !== 'pending') return { order };
    return { order, approvalEndsAt: Date.parse(order.created_at) + approvalWindowMs };
  };

  async function orderFor(sessionId: string): Promise<Order | undefined> {
    const order = await orders.findBySession(sessionId);
    if (order?.status !== 'pending') return order;
    // No await between this read and the write below: of many loads at once, one asks.
    const at = now();
    const last = askedAt.get(sessionId);
    if (last !== undefined && at - last < intervalMs) return order;
    askedAt.delete(sessionId);
    askedAt.set(sessionId, at);
    if (askedAt.size > MAX_REMEMBERED) askedAt.delete(askedAt.keys().next().value as string);
    let timer: NodeJS.Timeout | undefined;
    const waited = new Promise<void>((resolve) => {
      timer = setTimeout(resolve, RETURN_CHECK_WAIT_MS);
    });
    // check() never rejects: a failure is an outcome, and the order simply stays pending.
    await Promise.race([reconciler.check(sessionId), waited]);
    clearTimeout(timer);
    return orders.findBySession(sessionId);
  }

  return async function returnView(sessionId: string): Promise<ReturnView | undefined> {
    return sessionId ? view(await orderFor(sessionId)) : undefined;
  };
}
