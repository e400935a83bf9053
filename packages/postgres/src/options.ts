import type { PasisLogger } from '@pasis/core';
import { configError, DEFAULT_DONE_TTL_MS } from '@pasis/core/adapter';
import type { PostgresDatabase } from './database.js';
import { PACKAGE } from './errors.js';

/** Default of `lockTimeoutMs`: 5,000 ms. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
/** Default of `commandTimeoutMs`: 5,000 ms. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
/** Default of `pruneIntervalMs`: 60,000 ms. */
export const DEFAULT_PRUNE_INTERVAL_MS = 60_000;
/** Default of `pruneBatchSize`: 500 keys. */
export const DEFAULT_PRUNE_BATCH_SIZE = 500;

// Node's timers hold at most 2^31 - 1 ms (~24.8 days); longer ones fire at once.
const MAX_TIMER_MS = 2_147_483_647;

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

/** The options with defaults applied, validated. */
export interface ResolvedOptions {
  lockTimeoutMs: number;
  commandTimeoutMs: number;
  retentionMs: number;
  pruneIntervalMs: number;
  pruneBatchSize: number;
}

function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw configError(PACKAGE, `${name} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

/** Applies the defaults and validates every number. */
export function resolveOptions(options: PostgresStoreOptions): ResolvedOptions {
  return {
    lockTimeoutMs: integer(
      'lockTimeoutMs',
      options.lockTimeoutMs ?? DEFAULT_LOCK_TIMEOUT_MS,
      1,
      MAX_TIMER_MS,
    ),
    commandTimeoutMs: integer(
      'commandTimeoutMs',
      options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      1,
      MAX_TIMER_MS,
    ),
    retentionMs: integer(
      'retentionMs',
      options.retentionMs ?? DEFAULT_DONE_TTL_MS,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    pruneIntervalMs: integer(
      'pruneIntervalMs',
      options.pruneIntervalMs ?? DEFAULT_PRUNE_INTERVAL_MS,
      0,
      MAX_TIMER_MS,
    ),
    pruneBatchSize: integer('pruneBatchSize', options.pruneBatchSize ?? DEFAULT_PRUNE_BATCH_SIZE, 1, 100_000),
  };
}
