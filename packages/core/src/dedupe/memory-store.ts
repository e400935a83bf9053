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

// What a key holds: the token of its live claim, or DONE once handled, until `expiresAt`;
// `slot` is its place in the ring of entries in insertion order (GONE once released). One
// small object per key, changed in place: complete and renew cost one map lookup.
const DONE = 0;
const GONE = -1;
interface Entry {
  readonly key: string;
  held: string | typeof DONE;
  expiresAt: number;
  slot: number;
}
const COMPLETED: ClaimResult = Object.freeze({ state: 'completed' });
const IN_PROGRESS: ClaimResult = Object.freeze({ state: 'in_progress' });

/**
 * The default, in-process deduplication store: bounded in memory (at most `maxEntries` keys,
 * the oldest forgotten first, each expiring after its lease or TTL), correct for one process.
 * It answers synchronously (no promise, no turn of the event loop); core awaits only stores
 * that return promises. Several instances behind a load balancer need a shared store such as
 * `@pasis/redis`.
 *
 * A claim costs one map lookup and one insertion (and, once full, one deletion), a completion
 * one lookup. The oldest entry is found in a ring of the entries in insertion order, not by
 * iterating the map (V8 keeps deleted
 * map entries as holes that iteration from the start must skip: 8× slower at 200,000 keys).
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
  const entries = new Map<string, Entry>();
  // The entries in insertion order. A slot is stale once its entry was released (its `slot`
  // is then GONE): the ring holds the entry itself, so forgetting the oldest costs one map
  // deletion and no lookup.
  const ring: (Entry | undefined)[] = new Array(maxEntries);
  let next = 0;
  let sequence = 0;
  /** The key's live entry, if it has one held by `token`. */
  const owned = (key: string, token: string) => {
    const entry = entries.get(key);
    return entry !== undefined && entry.held === token && entry.expiresAt >= clock() ? entry : undefined;
  };
  /** Stores a new entry in the oldest slot, forgetting the entry that held it, if still there. */
  const insert = (key: string, token: string, expiresAt: number): void => {
    const slot = next;
    const oldest = ring[slot];
    if (oldest !== undefined && oldest.slot === slot) entries.delete(oldest.key);
    const entry: Entry = { key, held: token, expiresAt, slot };
    ring[slot] = entry;
    entries.set(key, entry);
    next = slot + 1 === maxEntries ? 0 : slot + 1;
  };

  return {
    claim(key, { leaseMs }) {
      const now = clock();
      const entry = entries.get(key);
      if (entry !== undefined && entry.expiresAt >= now) return entry.held === DONE ? COMPLETED : IN_PROGRESS;
      const token = `${++sequence}`;
      if (entry === undefined) {
        insert(key, token, now + leaseMs);
        return { state: 'claimed', token };
      }
      // Expired: taken over in place (it keeps its age, so it is forgotten a little earlier).
      entry.held = token;
      entry.expiresAt = now + leaseMs;
      return { state: 'claimed', token };
    },
    renew(key, token, leaseMs) {
      const entry = owned(key, token);
      if (entry === undefined) return false;
      entry.expiresAt = clock() + leaseMs;
      return true;
    },
    complete(key, token, { ttlMs }) {
      const entry = owned(key, token);
      if (entry === undefined) return;
      entry.held = DONE;
      entry.expiresAt = clock() + ttlMs;
    },
    release(key, token) {
      const entry = owned(key, token);
      if (entry === undefined) return;
      entry.slot = GONE; // its ring slot no longer forgets anything
      entries.delete(key);
    },
    get size() {
      return entries.size;
    },
  };
}
