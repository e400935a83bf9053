import { randomUUID } from 'node:crypto';
import { LRUCache } from 'lru-cache';
import type { ClaimResult, WebhookStore } from './store.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys remembered; the least recently used are forgotten first. Default 10,000. */
  maxEntries?: number;
  /** The clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

interface Entry {
  state: 'claimed' | 'completed';
  token: string;
  expiresAt: number;
}

/**
 * The default, in-process deduplication store: bounded in memory (LRU with a cap on
 * entries), correct for one process. Several instances behind a load balancer need a
 * shared store such as `@pasis/redis`.
 *
 * @example
 * const webhooks = createWebhookHandler({ secret, on, store: createMemoryStore({ maxEntries: 50_000 }) });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): WebhookStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}.`);
  }
  const now = options.now ?? Date.now;
  const entries = new LRUCache<string, Entry>({ max: maxEntries });

  const live = (key: string): Entry | undefined => {
    const entry = entries.get(key);
    if (entry && entry.expiresAt <= now()) {
      entries.delete(key);
      return undefined;
    }
    return entry;
  };
  const owned = (key: string, token: string) => {
    const entry = live(key);
    return entry?.state === 'claimed' && entry.token === token ? entry : undefined;
  };

  return {
    async claim(key, { leaseMs }): Promise<ClaimResult> {
      const entry = live(key);
      if (entry) return { state: entry.state === 'completed' ? 'completed' : 'in_progress' };
      const token = randomUUID();
      entries.set(key, { state: 'claimed', token, expiresAt: now() + leaseMs });
      return { state: 'claimed', token };
    },
    async renew(key, token, leaseMs) {
      const entry = owned(key, token);
      if (entry) entry.expiresAt = now() + leaseMs;
      return entry !== undefined;
    },
    async complete(key, token, { ttlMs }) {
      if (owned(key, token)) entries.set(key, { state: 'completed', token, expiresAt: now() + ttlMs });
    },
    async release(key, token) {
      if (owned(key, token)) entries.delete(key);
    },
  };
}
