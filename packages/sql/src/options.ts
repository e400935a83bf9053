import type { PasisLogger } from '@pasis/core';
import { DEFAULT_DONE_TTL_MS } from '@pasis/core/adapter';
import type { SqlBridge } from './bridge.js';
import { configError } from './errors.js';

/** Default of `lockTimeoutMs`: 5,000 ms. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
/** Default of `commandTimeoutMs`: 5,000 ms. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
/** Default of `pruneIntervalMs`: 60,000 ms. */
export const DEFAULT_PRUNE_INTERVAL_MS = 60_000;
/** Default of `pruneBatchSize`: 500 keys. */
export const DEFAULT_PRUNE_BATCH_SIZE = 500;

// Node's timers hold at most 2^31 - 1 ms (~24.8 days); longer ones fire at once.
export const MAX_TIMER_MS = 2_147_483_647;

/**
 * Options of `createSqlStore`. Every option is validated at construction.
 *
 * @example
 * createSqlStore({ db: fromPrisma(prisma, { dialect: 'postgres' }), lockTimeoutMs: 2_000 });
 */
export interface SqlStoreOptions<Tx> {
  /** Your database, through a bridge: `fromPrisma(prisma, ...)`, `fromTypeORM(dataSource)`, `fromPg(pool)`... Required. */
  db: SqlBridge<Tx>;
  /** The dedupe table, optionally qualified (`'billing.pasis_webhook_deliveries'`). Default `'pasis_webhook_deliveries'`. */
  table?: string;
  /**
   * How long a claim waits for a concurrent holder of the same key (SQLite, PGlite, sql.js:
   * for the database itself) before the delivery is answered 409 with `Retry-After`. On
   * PostgreSQL also the `lock_timeout` of your handler's statements; on MySQL and MariaDB it
   * is `innodb_lock_wait_timeout`, in whole seconds (rounded up). Default 5,000 ms.
   */
  lockTimeoutMs?: number;
  /**
   * Longest wait for your ORM to start a transaction (a free connection) and for each of the
   * store's steps (the claim beyond its lock wait, the commit, the rollback) before the
   * delivery is answered 503 and retried. Default 5,000 ms.
   */
  commandTimeoutMs?: number;
  /** How long handled keys are kept; older ones are pruned. Keep it beyond the provider's retries. Default 7 days. */
  retentionMs?: number;
  /** How often old keys are pruned (an unref'd timer); `0` turns it off (call `store.prune()`). Default 60,000 ms. */
  pruneIntervalMs?: number;
  /** Keys deleted per pruning statement. Default 500. */
  pruneBatchSize?: number;
  /** Where pruning failures and a slow database are reported. Default: core's `defaultLogger`. */
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

/** An integer option in [min, max], or a `config_error` naming it. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw configError(`${name} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

/** Applies the defaults and validates every number. */
export function resolveOptions(options: SqlStoreOptions<unknown>): ResolvedOptions {
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

/** `logger`, checked to have the four methods. */
export function checkLogger(logger: PasisLogger): PasisLogger {
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  if (typeof logger !== 'object' || logger === null || methods.some((m) => typeof logger[m] !== 'function')) {
    throw configError('logger must have debug, info, warn and error methods.');
  }
  return logger;
}

/** `db`, checked to be a bridge, with a message that says how to make one. */
export function checkBridge<Tx>(db: unknown): SqlBridge<Tx> {
  const bridge = db as Partial<SqlBridge<Tx>> | null | undefined;
  if (
    typeof bridge !== 'object' ||
    bridge === null ||
    typeof bridge.transaction !== 'function' ||
    typeof bridge.execute !== 'function' ||
    typeof bridge.dialect !== 'string'
  ) {
    throw configError(
      '`db` must be a bridge to your database: fromPrisma(prisma, { dialect }), fromTypeORM(dataSource), ' +
        'fromKnex(knex), fromKysely(db, { dialect }), fromDrizzle(db, { dialect }), fromMikroORM(orm), ' +
        'or for a driver fromPg(pool), fromPGlite(db), fromMysql2(pool), fromLibsql(client).',
    );
  }
  return bridge as SqlBridge<Tx>;
}
