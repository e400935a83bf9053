/** What the store conformance suite is given: the store under test, and its kind's extras. */
import type { Awaitable, WebhookStore } from '../../dedupe/store.js';
import type { ConformanceRunner } from '../conformance-runner.js';

/** What every store under test gives the suite. */
interface CommonStoreConformanceOptions<Tx> extends ConformanceRunner {
  /** Shown in the suite's title, e.g. `'createRedisStore'`. */
  name: string;
  /**
   * Builds the store for one test (every test calls it once, and `close()`s the store, if it
   * has a `close`, when done). Stores may share a backend: every test uses fresh keys.
   */
  makeStore: () => Awaitable<WebhookStore<Tx>>;
  /** How many claims the "many concurrent claims" test sends at once. Default 50. */
  concurrency?: number;
}

/** A lease store (memory, Redis): claims expire, `renew` extends them, tokens go stale. */
export interface LeaseStoreConformanceOptions<Tx = undefined> extends CommonStoreConformanceOptions<Tx> {
  kind: 'lease';
}

/** A transactional store (PostgreSQL, PGlite): a claim is an open transaction handed as `tx`. */
export interface TransactionalStoreConformanceOptions<Tx> extends CommonStoreConformanceOptions<Tx> {
  kind: 'transactional';
  /** The store's lock timeout: how long a claim waits for a concurrent holder of its key. */
  lockTimeoutMs: number;
  /** Writes `value` through the claim's transaction (e.g. an INSERT into a test table). */
  write: (tx: Tx, value: string) => Awaitable<void>;
  /**
   * Whether `value` was committed, read outside any transaction of the store. Called only
   * while the test holds no claim (on PGlite a read would otherwise wait for the claim).
   */
  isCommitted: (value: string) => Awaitable<boolean>;
  /**
   * How many rows `write` left for `value`, read as `isCommitted` is: lets the suite see a
   * write done twice (give the test table no unique key). Optional: without it the suite
   * counts 1 for a committed value.
   */
  countWrites?: (value: string) => Awaitable<number>;
}

/** Options of {@link describeStoreConformance}. */
export type StoreConformanceOptions<Tx = undefined> =
  | LeaseStoreConformanceOptions<Tx>
  | TransactionalStoreConformanceOptions<Tx>;
