/**
 * `@pasis/redis`: the Redis deduplication store for Pasis webhooks.
 */
export { createRedisStore } from './redis-store.js';
export type { RedisScriptClient, RedisStoreOptions } from './redis-store.js';
