/**
 * What the three example shops share: the catalogue, the orders (a store interface, an
 * in-memory store, and the one rule for settling a payment), the HTML pages and the
 * environment the Express and Fastify shops start from. Each example only adds its
 * framework's wiring: that is the part worth comparing.
 */
export { readShopEnv } from './config.js';
export type { ShopConfig } from './config.js';
export { CATALOGUE, DEFAULT_PRODUCT_ID, findProduct } from './catalogue.js';
export type { Product } from './catalogue.js';
export { createMemoryOrderStore } from './orders/order-store.js';
export type { Order, OrderStatus, OrderStore } from './orders/order-store.js';
export { settleOrder } from './orders/settle.js';
export type { SettleResult } from './orders/settle.js';
export { notFoundPage, orderPage, returnPage, shopPage } from './views/pages.js';
export { DEMO_TRACE_ENV, startDemoTracing } from './tracing.js';
