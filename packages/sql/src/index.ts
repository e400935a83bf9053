/**
 * `@pasis/sql`: exactly-once Pasis webhooks in your own SQL database. Each delivery's
 * handlers run in a transaction your ORM opened, committed together with the delivery's
 * dedupe record: PostgreSQL, MySQL/MariaDB or SQLite, through Prisma, TypeORM, Knex,
 * Kysely, Drizzle, MikroORM, Nest's TransactionHost, or a driver. And the reconciler's lease
 * for a fleet of instances, in the same database.
 */

export type { BridgeTransaction, ExecuteResult, SqlBridge } from './bridge.js';
export type { DrizzleLike, DrizzleTransaction } from './bridges/drizzle.js';
export { fromDrizzle } from './bridges/drizzle.js';
export type { KnexLike, KnexTransaction } from './bridges/knex.js';
export { fromKnex } from './bridges/knex.js';
export type { KyselyLike, KyselyTransaction } from './bridges/kysely.js';
export { fromKysely } from './bridges/kysely.js';
export type { MikroEntityManagerLike, MikroORMTransaction } from './bridges/mikro-orm.js';
export { fromMikroORM } from './bridges/mikro-orm.js';
export type { FromPrismaOptions, PrismaClientLike, PrismaTransaction } from './bridges/prisma.js';
export { fromPrisma } from './bridges/prisma.js';
export type { TransactionHostLike } from './bridges/transaction-host.js';
export { fromTransactionHost } from './bridges/transaction-host.js';
export type { TypeORMLike, TypeORMTransaction } from './bridges/typeorm.js';
export { fromTypeORM } from './bridges/typeorm.js';
export type { DialectName } from './dialects/index.js';
export { DEFAULT_OUTBOX_TABLE, DEFAULT_RECONCILE_LEASE_TABLE, DEFAULT_TABLE } from './dialects/index.js';
export type { LibsqlClientLike, LibsqlTransactionOf } from './drivers/libsql.js';
export { fromLibsql } from './drivers/libsql.js';
export type { Mysql2Connection, Mysql2PoolLike } from './drivers/mysql2.js';
export { fromMysql2 } from './drivers/mysql2.js';
export type { PgPoolClient, PgPoolLike } from './drivers/pg.js';
export { fromPg } from './drivers/pg.js';
export type { PGliteLike, PGliteTransactionOf } from './drivers/pglite.js';
export { fromPGlite } from './drivers/pglite.js';
export type { MigrationSqlOptions } from './migrations.js';
export { migrationSql } from './migrations.js';
export type { SqlStoreOptions } from './options.js';
export {
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_LOCK_TIMEOUT_MS,
  DEFAULT_PRUNE_BATCH_SIZE,
  DEFAULT_PRUNE_INTERVAL_MS,
} from './options.js';
export type { Outbox, OutboxOptions, OutboxPayloads } from './outbox/outbox.js';
export { createOutbox } from './outbox/outbox.js';
export type { OutboxEffect, OutboxHandlers } from './outbox/worker.js';
export type { SqlReconcileLease, SqlReconcileLeaseOptions } from './reconcile-lease.js';
export { createSqlReconcileLease } from './reconcile-lease.js';
export type { MigrateOptions, SqlStore } from './store.js';
export { createSqlStore, migrate } from './store.js';
