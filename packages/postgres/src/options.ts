import type { PasisLogger } from '@pasis/core';
import { type ResolvedStoreTimings, resolveStoreTimings } from '@pasis/core/adapter';
import type { PostgresDatabase } from './database.js';
import { PACKAGE } from './errors.js';

export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_PRUNE_BATCH_SIZE,
  DEFAULT_PRUNE_INTERVAL_MS,
} from '@pasis/core/adapter';

/**
 * Options of `createPostgresStore`. Every option is validated at construction.
 *
 * @example
 * createPostgresStore({ db: pool, table: 'billing.pasis_webhook_deliveries', lockTimeoutMs: 2_000 });
 */
export interface PostgresStoreOptions<Db extends PostgresDatabase = PostgresDatabase> {
  /**
   * Your database: a `pg` Pool, or a PGlite instance. The store borrows connections and
   * never closes it. Required.
   */
  db: Db;
  /** The table, optionally schema-qualified (`'billing.pasis_webhook_deliveries'`). Default `'pasis_webhook_deliveries'`. */
  table?: string;
  /**
   * How long a claim waits for a concurrent holder of the same key (on PGlite: for the
   * database itself) before the delivery is answered 409 with `Retry-After`. Also the
   * `lock_timeout` of your handler's statements in `ctx.tx` (pg). Default 5,000 ms.
   */
  lockTimeoutMs?: number;
  /**
   * `pg` only: longest wait for one step of the store (a connection from the pool, BEGIN,
   * COMMIT, ROLLBACK) before the delivery is answered 503; a connection that may be broken
   * is then destroyed. The key's INSERT may wait `lockTimeoutMs` more. Default 5,000 ms.
   */
  commandTimeoutMs?: number;
  /**
   * How long handled keys are kept: older ones are pruned. Keep it beyond the provider's
   * retries. Default 7 days (core's `DEFAULT_DONE_TTL_MS`); core's `doneTtlMs` has no
   * effect on this store, whose record is written at claim.
   */
  retentionMs?: number;
  /** How often old keys are pruned (an unref'd timer); `0` turns it off (call `store.prune()` yourself). Default 60,000 ms. */
  pruneIntervalMs?: number;
  /** Keys deleted per pruning statement: small, so a prune never holds much. Default 500. */
  pruneBatchSize?: number;
  /** Where pruning failures and a starved PGlite are reported. Default: core's `defaultLogger`. */
  logger?: PasisLogger;
}

/** Applies the defaults and validates every number (core's `resolveStoreTimings`, named after this package). */
export function resolveOptions(options: PostgresStoreOptions): ResolvedStoreTimings {
  return resolveStoreTimings(PACKAGE, options);
}
