import { randomUUID } from 'node:crypto';
import type { WebhookStore } from '@pasis/core';
import { type ClaimResult, configError, DEFAULT_DONE_TTL_MS, withTimeout } from '@pasis/core/adapter';
import { CLAIM, COMPLETE, type LuaScript, RELEASE, RENEW } from './scripts.js';

const PACKAGE = '@pasis/redis';

/**
 * The part of an ioredis client (v5 or v6, or a Cluster) the store uses. Pass your own
 * client: the store never creates, configures or closes connections.
 */
export interface RedisScriptClient {
  evalsha(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  eval(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
}

/** Options of {@link createRedisStore}. */
export interface RedisStoreOptions {
  /** An ioredis client. Recommended: `{ maxRetriesPerRequest: 1, enableOfflineQueue: false }`. */
  client: RedisScriptClient;
  /** Prefix of every key, to share a Redis with other data. Default `'pasis:webhook:'`. */
  keyPrefix?: string;
  /** How long remembered deliveries are kept (overrides core's `doneTtlMs`). Default: core's, 7 days. */
  doneTtlMs?: number;
  /** Longest wait for one Redis command before the delivery is answered 503. Default 2,000 ms. */
  commandTimeoutMs?: number;
}

/**
 * A deduplication store shared by every instance of a shop, on Redis: claim with
 * `SET NX PX` (atomic, with a lease that core renews while the handler runs), complete and
 * release only while the token still owns the key, completed ids kept for days. When Redis
 * is unreachable or slow, every call fails within `commandTimeoutMs`, and core answers 503
 * without running the handler (fail closed); Pasis retries later.
 *
 * @example
 * import { Redis } from 'ioredis';
 * const store = createRedisStore({ client: new Redis(process.env.REDIS_URL, { enableOfflineQueue: false }) });
 * app.use(pasisWebhook({ on: handlers, store }));
 */
export function createRedisStore(options: RedisStoreOptions): WebhookStore {
  const { client, keyPrefix = 'pasis:webhook:', doneTtlMs, commandTimeoutMs = 2000 } = options ?? {};
  if (typeof client?.evalsha !== 'function' || typeof client.eval !== 'function') {
    throw configError(PACKAGE, '`client` must be an ioredis client (new Redis(url)).');
  }
  if (!Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs <= 0) {
    throw configError(PACKAGE, `commandTimeoutMs must be a positive integer, got ${commandTimeoutMs}.`);
  }
  if (doneTtlMs !== undefined && (!Number.isSafeInteger(doneTtlMs) || doneTtlMs <= 0)) {
    throw configError(PACKAGE, `doneTtlMs must be a positive integer, got ${doneTtlMs}.`);
  }

  async function run(lua: LuaScript, key: string, ...args: (string | number)[]): Promise<unknown> {
    const call = async () => {
      try {
        return await client.evalsha(lua.sha, 1, keyPrefix + key, ...args);
      } catch (error) {
        // First use on this server (or after SCRIPT FLUSH): send the script itself once.
        if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
        return client.eval(lua.source, 1, keyPrefix + key, ...args);
      }
    };
    // The package in the message: the error reaches the app's log through core's 503 line.
    return withTimeout(call(), commandTimeoutMs, `${PACKAGE}: Redis`);
  }

  return {
    async claim(key, { leaseMs }): Promise<ClaimResult> {
      const token = randomUUID();
      const state = await run(CLAIM, key, token, leaseMs);
      if (state === 'claimed') return { state, token };
      if (state === 'completed' || state === 'in_progress') return { state };
      throw new Error(`@pasis/redis: unexpected claim answer ${String(state)}`);
    },
    async renew(key, token, leaseMs) {
      return Number(await run(RENEW, key, token, leaseMs)) === 1;
    },
    async complete(key, token, { ttlMs }) {
      await run(COMPLETE, key, token, doneTtlMs ?? ttlMs ?? DEFAULT_DONE_TTL_MS);
    },
    async release(key, token) {
      await run(RELEASE, key, token);
    },
  };
}
