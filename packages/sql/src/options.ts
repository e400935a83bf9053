import type { PasisLogger } from '@pasis/core';
import { integerOption, type ResolvedStoreTimings, resolveStoreTimings } from '@pasis/core/adapter';
import type { SqlBridge } from './bridge.js';
import { configError, PACKAGE } from './errors.js';

export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_PRUNE_BATCH_SIZE,
  DEFAULT_PRUNE_INTERVAL_MS,
  MAX_TIMER_MS,
} from '@pasis/core/adapter';

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

/** An integer option in [min, max], or a `config_error` naming it. */
export function integer(name: string, value: unknown, min: number, max: number): number {
  return integerOption(PACKAGE, name, value, min, max);
}

/** Applies the defaults and validates every number (core's `resolveStoreTimings`, named after this package). */
export function resolveOptions(options: SqlStoreOptions<unknown>): ResolvedStoreTimings {
  return resolveStoreTimings(PACKAGE, options);
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
