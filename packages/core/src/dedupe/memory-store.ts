import { LRUCache } from 'lru-cache';
import type { ClaimResult, WebhookStore } from './store.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys remembered; the least recently used are forgotten first. Default 10,000. */
  maxEntries?: number;
  /**
   * The clock in milliseconds (tests). Default `Date.now`. An entry expires once it is
   * older than its lease or TTL.
   */
  now?: () => number;
}

/** The memory store: every method answers synchronously. */
export interface MemoryStore extends WebhookStore {
  claim(key: string, options: { leaseMs: number }): ClaimResult;
  renew(key: string, token: string, leaseMs: number): boolean;
  complete(key: string, token: string, options: { ttlMs: number }): void;
  release(key: string, token: string): void;
}

// What a key holds: the token of its live claim, or DONE once handled. Expiry is kept by
// lru-cache itself (per-entry TTL in typed arrays): no object per delivery, so ten
// thousand remembered ids cost the garbage collector almost nothing.
const DONE = Symbol('done');
const COMPLETED: ClaimResult = Object.freeze({ state: 'completed' });
const IN_PROGRESS: ClaimResult = Object.freeze({ state: 'in_progress' });

/**
 * The default, in-process deduplication store: bounded in memory (LRU with a cap on
 * entries), correct for one process. It answers synchronously (no promise, no turn of the
 * event loop); core awaits only stores that return promises. Several instances behind a
 * load balancer need a shared store such as `@pasis/redis`.
 *
 * Tokens are unique within the store (a counter): they only tell this process's own
 * claims apart, so nothing outside it can forge or reuse one.
 *
 * @example
 * const webhooks = createWebhookHandler({ secret, on, store: createMemoryStore({ maxEntries: 50_000 }) });
 */
export function createMemoryStore(options: MemoryStoreOptions = {}): MemoryStore {
  const maxEntries = options.maxEntries ?? 10_000;
  if (!Number.isInteger(maxEntries) || maxEntries < 1) {
    throw new RangeError(`maxEntries must be a positive integer, got ${maxEntries}.`);
  }
  const clock = options.now ?? Date.now;
  // lru-cache reads a start time of 0 as "no TTL": count from 1 at construction, so a
  // fake clock that starts at 0 still expires entries.
  const origin = clock() - 1;
  const entries = new LRUCache<string, string | typeof DONE>({
    max: maxEntries,
    perf: { now: () => clock() - origin },
    // Read the clock on every check: a cached reading would let a fake clock (tests) or a
    // lease that ends within the cache window look alive a little too long.
    ttlResolution: 0,
  });
  let sequence = 0;
  const owns = (key: string, token: string) => entries.get(key) === token;

  return {
    claim(key, { leaseMs }) {
      const held = entries.get(key);
      if (held !== undefined) return held === DONE ? COMPLETED : IN_PROGRESS;
      const token = `${++sequence}`;
      entries.set(key, token, { ttl: leaseMs });
      return { state: 'claimed', token };
    },
    renew(key, token, leaseMs) {
      if (!owns(key, token)) return false;
      entries.set(key, token, { ttl: leaseMs });
      return true;
    },
    complete(key, token, { ttlMs }) {
      if (owns(key, token)) entries.set(key, DONE, { ttl: ttlMs });
    },
    release(key, token) {
      if (owns(key, token)) entries.delete(key);
    },
  };
}
