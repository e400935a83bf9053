/**
 * `@pasis/core/adapter`: for the authors of adapters (a framework's middleware, plugin or
 * module) and of dedupe stores, never needed by an application. What every adapter would
 * otherwise write again: its arguments and route options read and validated alike
 * (`routeArguments`, `splitRouteOptions`), a plugin's options resolved (`resolveAdapterOptions`),
 * configuration errors named after the package (`configError`, `withPackageName`), and what a
 * store implements against (`ClaimResult`, `dedupeKey`, `withTimeout`, the defaults), and what
 * a reconciler's lease implements (`ReconcileLease`, `MAX_RECONCILE_LEASE_BATCH`).
 * Runtime-neutral: the Node pieces are in `@pasis/core/node`.
 */
export { configError } from '../config.js';
export { dedupeKey } from '../dedupe/dedupe-key.js';
export type { Awaitable, ClaimOptions, ClaimResult, ClaimTx } from '../dedupe/store.js';
export { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS } from '../dedupe/store.js';
export type { ReconcileLease, ReconcileLeaseClaimOptions } from '../reconcile/lease.js';
export { MAX_RECONCILE_LEASE_BATCH } from '../reconcile/lease.js';
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
