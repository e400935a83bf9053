/**
 * What the three example shops share: the environment, the database (PostgreSQL or PGlite,
 * its schema, the webhook store on it), the orders in SQL and the one rule for settling a
 * payment, the checkout, the reconciler and the return page's logic, the HTML pages, and
 * the HTTP layer (content negotiation, the checkout's input, bad input, the answers and their
 * error body, what a log may say, server timeouts) and how a shop's process stops.
 * Each example only adds its framework's wiring: that is the part worth comparing.
 */

export type { Product } from './catalogue.js';
export { CATALOGUE, DEFAULT_PRODUCT_ID, findProduct } from './catalogue.js';
export type { ReconcileConfig, ShopConfig, ShopEnv } from './config.js';
export { readShopEnv, SHOP_ENV_KEYS, SHOP_KIT, shopConfig } from './config.js';
export { lockDataDir } from './db/data-dir-lock.js';
export type {
  OpenShopDatabaseOptions,
  ShopDatabase,
  ShopDriver,
  ShopTransaction,
  ShopWebhookContext,
  Sql,
} from './db/database.js';
export { openShopDatabase } from './db/database.js';
export type { DatabaseLocation, ShopIdentity } from './db/location.js';
export { databaseLocation, describeLocation } from './db/location.js';
export { SCHEMA_SQL } from './db/schema.js';
export type { ShopAnswer } from './http/answers.js';
export {
  checkoutFailed,
  errorAnswer,
  htmlAnswer,
  jsonAnswer,
  orderAnswer,
  SERVER_ERROR,
} from './http/answers.js';
export type { BadInput } from './http/bad-input.js';
export {
  badInputAnswer,
  badInputFromError,
  invalidInput,
  SHOP_BODY_LIMIT_BYTES,
  unsupportedBody,
} from './http/bad-input.js';
export type { CheckoutInput } from './http/checkout-input.js';
export { readCheckoutInput } from './http/checkout-input.js';
export { loggableError, maskPersonal } from './http/loggable-error.js';
export { wantsJson } from './http/negotiate.js';
export {
  applyServerTimeouts,
  SHOP_HEADERS_TIMEOUT_MS,
  SHOP_REQUEST_TIMEOUT_MS,
} from './http/server-timeouts.js';
export { stopOnSignals } from './lifecycle.js';
export type { StartedCheckout } from './orders/checkout.js';
export { startCheckout } from './orders/checkout.js';
export type { Order, OrderStatus, Payment } from './orders/order.js';
export { orderJson } from './orders/order.js';
export type { OrderStore } from './orders/order-store.js';
export { createOrderStore, RECONCILE_BATCH, RECONCILE_LOOKBACK_MS } from './orders/order-store.js';
export type { SettleContext, SettleResult } from './orders/settle.js';
export { onSessionProcessed, settleOrder } from './orders/settle.js';
export type { ShopReconcilerOptions } from './reconcile/reconciler.js';
export { createShopReconciler, startReconciling } from './reconcile/reconciler.js';
export type { ReturnPageOptions, ReturnView } from './reconcile/return-page.js';
export {
  createReturnPage,
  DEFAULT_APPROVAL_WINDOW_MS,
  DEFAULT_RETURN_CHECK_INTERVAL_MS,
  RETURN_CHECK_WAIT_MS,
} from './reconcile/return-page.js';
export { DEMO_TRACE_ENV, startDemoTracing } from './tracing.js';
export { notFoundPage, orderPage, returnPage, shopPage } from './views/pages.js';
