import {
  createReconciler,
  DEFAULT_RECONCILE_EVERY_MS,
  DEFAULT_RECONCILE_OLDER_THAN_MS,
  type PasisClient,
  type PasisLogger,
  type Reconciler,
  type WebhookReceiver,
} from '@pasis/core';
import type { ReconcileConfig } from '../config.js';
import type { OrderStore } from '../orders/order-store.js';

const DEFAULT_RECONCILE: ReconcileConfig = {
  afterMs: DEFAULT_RECONCILE_OLDER_THAN_MS,
  intervalMs: DEFAULT_RECONCILE_EVERY_MS,
};

/** What {@link createShopReconciler} is built from. */
export interface ShopReconcilerOptions {
  /** The shop's Pasis client: its timeouts and retries apply to every retrieve. */
  client: Pick<PasisClient, 'checkout'>;
  /** The shop's webhook receiver: the reconciler runs its handlers, under its store's dedupe. */
  webhooks: Pick<WebhookReceiver<unknown>, 'receive'>;
  orders: OrderStore;
  logger?: PasisLogger;
}

/**
 * Core's reconciler on the shop's orders (CONTRACT §5): the sessions of orders still
 * `pending` (from SQL), asked about with Pasis (§1b) and settled through the same handlers
 * and dedupe as the webhook. Start it with {@link startReconciling} once the shop listens;
 * `await reconciler.stop()` before closing the database.
 *
 * @example
 * const reconciler = createShopReconciler({ client: pasis, webhooks: webhook.webhooks, orders });
 */
export function createShopReconciler(options: ShopReconcilerOptions): Reconciler {
  const { client, webhooks, orders, logger } = options;
  return createReconciler({
    client,
    webhooks,
    sessions: ({ before }) => orders.pendingSessions({ createdBefore: before }),
    logger,
  });
}

/**
 * Starts the schedule: every `intervalMs`, the orders pending for longer than `afterMs`.
 * `intervalMs: 0` leaves it off (the return page still checks its own order).
 *
 * @example
 * server.once('listening', () => startReconciling(reconciler, config.reconcile));
 */
export function startReconciling(reconciler: Reconciler, config: ReconcileConfig | undefined): void {
  const { afterMs, intervalMs } = config ?? DEFAULT_RECONCILE;
  if (intervalMs > 0) reconciler.start({ everyMs: intervalMs, olderThanMs: afterMs });
}
