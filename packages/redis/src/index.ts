/**
 * `@pasis/redis`: the Redis deduplication store for Pasis webhooks.
 */

export type { RedisScriptClient, RedisStoreOptions } from './redis-store.js';
export { createRedisStore } from './redis-store.js';
