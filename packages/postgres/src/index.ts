/**
 * `@pasis/postgres`: the transactional deduplication store for Pasis webhooks. Each
 * delivery's handlers run in a transaction of your PostgreSQL (a `pg` Pool or PGlite),
 * committed together with the delivery's dedupe record. And the reconciler's lease for a
 * fleet of instances, on the same database.
 */

export type {
  DatabaseClient,
  PGliteLike,
  PGliteTransactionLike,
  PgPoolClientLike,
  PgPoolLike,
  PostgresDatabase,
  QueryResultLike,
} from './database.js';
export { DEFAULT_RECONCILE_LEASE_TABLE, reconcileLeaseMigrationSql } from './lease-schema.js';
export type { PostgresStoreOptions } from './options.js';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_PRUNE_BATCH_SIZE,
  DEFAULT_PRUNE_INTERVAL_MS,
} from './options.js';
export type { PostgresReconcileLease, PostgresReconcileLeaseOptions } from './reconcile-lease.js';
export { createPostgresReconcileLease } from './reconcile-lease.js';
export { DEFAULT_TABLE, migrationSql } from './schema.js';
export type { MigrateOptions, PostgresStore } from './store.js';
export { createPostgresStore, migrate } from './store.js';
export type { PostgresQueryResult, PostgresTransaction } from './transaction.js';
