/**
 * The deduplication store: how a delivery is claimed by one worker, and remembered once
 * handled, so that at-least-once delivery runs a handler at most once per success.
 *
 * One interface, two kinds of implementation:
 *
 * - **Lease stores** (`createMemoryStore`, `@pasis/redis`) keep the claim beside your data:
 *   1. `claim(key, { leaseMs })` atomically takes the key for `leaseMs` and returns a fresh
 *      token, or says the key is `completed` or `in_progress` (someone holds a live lease).
 *      An expired lease can be claimed again: its holder is presumed dead.
 *   2. While the handler runs, core calls `renew(key, token, leaseMs)` every `leaseMs / 3`
 *      (optional; without it a handler that outlives its lease may be run twice).
 *   3. On success `complete(key, token, { ttlMs })` marks the key done for `ttlMs`; on
 *      failure `release(key, token)` frees it so the redelivery runs the handler.
 *      Both act only while `token` still owns the key: a stale worker cannot release or
 *      complete a key that was taken over.
 * - **Transactional stores** (`@pasis/postgres`) keep the claim in your own database:
 *   `claim` opens a transaction and records the key in it (a concurrent holder of the same
 *   key is waited for, up to the store's lock timeout, then answered `in_progress`; a
 *   committed key is `completed`), and hands the transaction to the handlers as `ctx.tx`
 *   (the claim's `tx`). `complete` commits it, `release` rolls it back. The handler's writes
 *   and the dedupe record commit or roll back together, so a crash between the two cannot
 *   repeat an effect. `renew` is not needed: the lock lives as long as the transaction.
 *
 * Any method may reject (or throw) when the store is unreachable: the delivery is answered
 * 503 and the handler is not run (fail closed). A `complete` that fails is answered 503 too,
 * so the delivery is retried.
 *
 * Methods may answer synchronously (an in-process store, like the default one) or with a
 * promise (a network store): core awaits only what is a promise, which keeps the
 * in-memory path free of needless turns of the event loop.
 *
 * `Tx` is what a claim hands to the handlers as `ctx.tx`: `undefined` for lease stores.
 */
export interface WebhookStore<Tx = undefined> {
  claim(key: string, options: ClaimOptions): Awaitable<ClaimResult<Tx>>;
  renew?(key: string, token: string, leaseMs: number): Awaitable<boolean>;
  complete(key: string, token: string, options: { ttlMs: number }): Awaitable<void>;
  release(key: string, token: string): Awaitable<void>;
  /** Frees resources (timers, connections the store owns). Optional. */
  close?(): Promise<void>;
}

/** What core passes to every `claim`. */
export interface ClaimOptions {
  /** How long the claim holds before another worker may take it over (lease stores). */
  readonly leaseMs: number;
}

/** A value, or a promise of it: what a {@link WebhookStore} method may return. */
export type Awaitable<T> = T | PromiseLike<T>;

/** The `tx` of a claim: optional for stores without one (`Tx = undefined`), required otherwise. */
export type ClaimTx<Tx> = undefined extends Tx ? { tx?: Tx } : { tx: Tx };

/**
 * The answer to a claim. A store whose transaction lives in an async context (an ambient
 * transaction: nestjs-cls's `TransactionHost`, MikroORM's context) adds `run`, and core runs
 * the handlers inside it, so that they see the claim's transaction as the active one.
 */
export type ClaimResult<Tx = undefined> =
  | ({ state: 'claimed'; token: string; run?: <T>(fn: () => T) => T } & ClaimTx<Tx>)
  | { state: 'completed' }
  | { state: 'in_progress' };

/** How long handled delivery ids are remembered by default: 7 days, beyond the provider's retries. */
export const DEFAULT_DONE_TTL_MS = 7 * 24 * 60 * 60 * 1000;

/** How long a claim is held before another worker may take it over, by default: 60 s. */
export const DEFAULT_LEASE_MS = 60_000;
