/**
 * `@pasis/core/adapter`: for the authors of adapters (a framework's middleware, plugin or
 * module) and of dedupe stores, never needed by an application. What every adapter would
 * otherwise write again: its arguments and route options read and validated alike
 * (`routeArguments`, `splitRouteOptions`), a plugin's options resolved (`resolveAdapterOptions`),
 * configuration errors named after the package (`configError`, `withPackageName`), and what a
 * store implements against (`ClaimResult`, `dedupeKey`, `withTimeout`, the defaults; for a store
 * in the merchant's transaction its timing options and `KeyPruner`), and what
 * a reconciler's lease implements (`ReconcileLease`, `MAX_RECONCILE_LEASE_BATCH`).
 * Runtime-neutral: the Node pieces are in `@pasis/core/node`.
 */
export { configError } from '../config.js';
export { dedupeKey } from '../dedupe/dedupe-key.js';
export { KeyPruner, type KeyPrunerSettings } from '../dedupe/key-pruner.js';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_PRUNE_BATCH_SIZE,
  DEFAULT_PRUNE_INTERVAL_MS,
  integerOption,
  type ResolvedStoreTimings,
  resolveStoreTimings,
  type StoreTimingOptions,
} from '../dedupe/sql-store-timings.js';
export type { Awaitable, ClaimOptions, ClaimResult, ClaimTx } from '../dedupe/store.js';
export { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS } from '../dedupe/store.js';
export type { ReconcileLease, ReconcileLeaseClaimOptions } from '../reconcile/lease.js';
export { MAX_RECONCILE_LEASE_BATCH } from '../reconcile/lease.js';
export { MAX_TIMER_MS } from '../util/max-timer.js';
export { withTimeout } from '../util/with-timeout.js';
export type { RawBodyResult, WebhookAdapterInfo } from '../webhooks/receiver-types.js';
export type {
  AdapterOptionsInfo,
  PasisAdapterOptions,
  PasisPluginOptions,
  PluginWebhookOptions,
  ResolvedAdapterOptions,
} from './adapter-options.js';
export { resolveAdapterOptions } from './adapter-options.js';
export { withPackageName } from './package-name.js';
export { DEFAULT_WEBHOOK_PATH, routeArguments, splitRouteOptions } from './route-options.js';
