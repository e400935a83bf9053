/**
 * `@pasis/redis`: the Redis deduplication store for Pasis webhooks, and the reconciler's
 * lease for a fleet of instances.
 */

export type { RedisReconcileLeaseOptions } from './reconcile-lease.js';
export { createRedisReconcileLease } from './reconcile-lease.js';
export type { RedisScriptClient, RedisStoreOptions } from './redis-store.js';
export { createRedisStore } from './redis-store.js';
