import { randomUUID } from 'node:crypto';
import { configError, type ReconcileLease, withTimeout } from '@pasis/core/adapter';
import type { RedisScriptClient } from './redis-store.js';
import { LEASE_PAGE } from './scripts.js';

const PACKAGE = '@pasis/redis';

/** Options of {@link createRedisReconcileLease}. */
export interface RedisReconcileLeaseOptions {
  /** An ioredis client (the store's own is fine). The lease never opens or closes connections. */
  client: RedisScriptClient;
  /**
   * Prefix of every lease key. Its `{...}` hash tag puts a page's keys in one slot, as a
   * Redis Cluster needs for one script over them. Default `'pasis:{reconcile}:'`.
   */
  keyPrefix?: string;
  /** Longest wait for Redis per page before the run skips that page. Default 2,000 ms. */
  commandTimeoutMs?: number;
}

/**
 * The reconciler's lease on Redis, shared by every instance of an app
 * (`createReconciler({ ..., lease })`): a page of session ids is one Lua script, which sets
 * each id's key with `SET NX PX <leaseMs>` and answers the ones it set. A key is never
 * deleted before it expires: each pending session is retrieved about once per `leaseMs`
 * across the fleet. Keys hold this process's random token (to tell, in `redis-cli`, who
 * holds what).
 *
 * @example
 * import { Redis } from 'ioredis';
 * const redis = new Redis(process.env.REDIS_URL, { enableOfflineQueue: false });
 * const reconciler = createReconciler({ client: pasis, webhooks, sessions, lease: createRedisReconcileLease({ client: redis }) });
 * reconciler.start({ everyMs: 60_000 }); // each instance; about one retrieve per session and minute in all
 */
export function createRedisReconcileLease(options: RedisReconcileLeaseOptions): ReconcileLease {
  const { client, keyPrefix = 'pasis:{reconcile}:', commandTimeoutMs = 2000 } = options ?? {};
  if (typeof client?.evalsha !== 'function' || typeof client.eval !== 'function') {
    throw configError(PACKAGE, '`client` must be an ioredis client (new Redis(url)).');
  }
  if (typeof keyPrefix !== 'string') {
    throw configError(PACKAGE, `keyPrefix must be a string, got ${String(keyPrefix)}.`);
  }
  if (!Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs <= 0) {
    throw configError(PACKAGE, `commandTimeoutMs must be a positive integer, got ${commandTimeoutMs}.`);
  }
  const owner = randomUUID();

  async function page(ids: readonly string[], leaseMs: number): Promise<unknown> {
    const keys = ids.map((id) => keyPrefix + id);
    try {
      return await client.evalsha(LEASE_PAGE.sha, keys.length, ...keys, owner, leaseMs);
    } catch (error) {
      // First use on this server (or after SCRIPT FLUSH): send the script itself once.
      if (!String((error as Error)?.message).includes('NOSCRIPT')) throw error;
      return client.eval(LEASE_PAGE.source, keys.length, ...keys, owner, leaseMs);
    }
  }

  return {
    async claim(sessionIds, { leaseMs }) {
      if (sessionIds.length === 0) return [];
      const answer = await withTimeout(page(sessionIds, leaseMs), commandTimeoutMs, `${PACKAGE}: Redis`);
      if (!Array.isArray(answer)) throw new Error(`${PACKAGE}: unexpected lease answer ${typeof answer}`);
      // The script answers the 1-based positions of the keys it set.
      return answer.map((position) => sessionIds[Number(position) - 1]!).filter((id) => id !== undefined);
    },
  };
}
