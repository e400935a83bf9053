/**
 * The deduplication store: how a delivery is claimed by one worker, and remembered once
 * handled, so that at-least-once delivery runs a handler at most once per success.
 *
 * Protocol, for implementers (see `createMemoryStore`, and `@pasis/redis`):
 * 1. `claim(key, { leaseMs })` atomically takes the key for `leaseMs` and returns a fresh
 *    token, or says the key is `completed` or `in_progress` (someone holds a live lease).
 *    An expired lease can be claimed again: its holder is presumed dead.
 * 2. While the handler runs, core calls `renew(key, token, leaseMs)` every `leaseMs / 3`
 *    (optional; without it a handler that outlives its lease may be run twice).
 * 3. On success `complete(key, token, { ttlMs })` marks the key done for `ttlMs`; on failure
 *    `release(key, token)` frees it so the redelivery runs the handler.
 *    Both act only while `token` still owns the key: a stale worker cannot release or
 *    complete a key that was taken over.
 * Any method may reject (or throw) when the store is unreachable: the delivery is answered
 * 503 and the handler is not run (fail closed).
 *
 * Methods may answer synchronously (an in-process store, like the default one) or with a
 * promise (a network store): core awaits only what is a promise, which keeps the
 * in-memory path free of needless turns of the event loop.
 */
export interface WebhookStore {
  claim(key: string, options: { leaseMs: number }): Awaitable<ClaimResult>;
  renew?(key: string, token: string, leaseMs: number): Awaitable<boolean>;
  complete(key: string, token: string, options: { ttlMs: number }): Awaitable<void>;
  release(key: string, token: string): Awaitable<void>;
  /** Frees resources (timers, connections the store owns). Optional. */
  close?(): Promise<void>;
}

/** A value, or a promise of it: what a {@link WebhookStore} method may return. */
export type Awaitable<T> = T | PromiseLike<T>;

/** The answer to a claim. */
export type ClaimResult =
  | { state: 'claimed'; token: string }
  | { state: 'completed' }
  | { state: 'in_progress' };

/** How long handled delivery ids are remembered by default: 7 days, beyond the provider's retries. */
export const DEFAULT_DONE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** How long a claim is held before another worker may take it over, by default: 60 s. */
export const DEFAULT_LEASE_MS = 60_000;
