import { createKeyIndex, hashKey } from './key-index.js';
import type { ClaimResult, WebhookStore } from './store.js';

/** Options of {@link createMemoryStore}. */
export interface MemoryStoreOptions {
  /** Most keys remembered; past it the oldest are forgotten first. Default 10,000. */
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
  /** How many keys are remembered now (at most `maxEntries`): for a health page or a metric. */
  readonly size: number;
}

// What a key holds, in the arrays below at its slot (its place in the ring of keys in
// insertion order): the token of its live claim, or DONE once handled, until its expiry.
// Parallel arrays rather than one object per key: a full store of 10,000 keys is then the
// index and its keys, not also 10,000 objects and their boxed expiry times, so it takes less
// of the CPU's cache and less of each garbage collection (issue 28: with the index, ~130
// bytes of heap per key held, from ~330).
const DONE = 0;
const COMPLETED: ClaimResult = Object.freeze({ state: 'completed' });
const IN_PROGRESS: ClaimResult = Object.freeze({ state: 'in_progress' });

/**
 * The default, in-process deduplication store: bounded in memory (at most `maxEntries` keys,
 * the oldest forgotten first, each expiring after its lease or TTL), correct for one process.
 * It answers synchronously (no promise, no turn of the event loop); core awaits only stores
 * that return promises. Several instances behind a load balancer need a shared store such as
 * `@pasis/redis`.
 *
 * A claim costs one hash of the key, one lookup and one insertion (and, once full, one
 * deletion), a completion one lookup. The oldest key is the next slot of a ring of the keys in
 * insertion order, so forgetting it needs no search.
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
  // Each remembered key's slot (key-index.ts says why not a Map). A slot left empty by a
  // release forgets nothing when its turn to be overwritten comes.
  const index = createKeyIndex();
  // By slot, growing with the store (a slot is first written at their end), so a large
  // maxEntries costs nothing until it is used.
  const held: (string | typeof DONE)[] = [];
  // Only numbers: V8 keeps them unboxed in the array, where an object field would hold a
  // heap number per key (a timestamp is not a small integer).
  const expiresAt: number[] = [];
  let next = 0;
  let sequence = 0;
  // The last key hashed: a delivery's complete (or release) follows its claim with the same
  // string, so its hash is not computed twice (a hash is a pure function of the key).
  let lastKey: string | undefined;
  let lastHash = 0;
  const hashOf = (key: string): number => {
    if (key !== lastKey) {
      lastHash = hashKey(key);
      lastKey = key;
    }
    return lastHash;
  };
  /** The key's slot if its live claim is held by `token`, else -1. */
  const owned = (key: string, token: string): number => {
    const slot = index.find(key, hashOf(key));
    return slot >= 0 && held[slot] === token && (expiresAt[slot] as number) >= clock() ? slot : -1;
  };
  /** Takes the oldest slot for `key`, forgetting the key that held it, if still there. */
  const insert = (key: string, hash: number): number => {
    const slot = next;
    if (index.keyAt(slot) !== undefined) index.delete(slot);
    index.set(slot, key, hash);
    next = slot + 1 === maxEntries ? 0 : slot + 1;
    return slot;
  };

  return {
    claim(key, { leaseMs }) {
      const now = clock();
      const hash = hashOf(key);
      const found = index.find(key, hash);
      if (found >= 0 && (expiresAt[found] as number) >= now)
        return held[found] === DONE ? COMPLETED : IN_PROGRESS;
      const token = `${++sequence}`;
      // Expired: taken over in place (it keeps its age, so it is forgotten a little earlier).
      const slot = found >= 0 ? found : insert(key, hash);
      held[slot] = token;
      expiresAt[slot] = now + leaseMs;
      return { state: 'claimed', token };
    },
    renew(key, token, leaseMs) {
      const slot = owned(key, token);
      if (slot < 0) return false;
      expiresAt[slot] = clock() + leaseMs;
      return true;
    },
    complete(key, token, { ttlMs }) {
      const slot = owned(key, token);
      if (slot < 0) return;
      held[slot] = DONE;
      expiresAt[slot] = clock() + ttlMs;
    },
    release(key, token) {
      const slot = owned(key, token);
      if (slot < 0) return;
      index.delete(slot); // its slot no longer forgets anything
      held[slot] = DONE;
    },
    get size() {
      return index.size;
    },
  };
}
