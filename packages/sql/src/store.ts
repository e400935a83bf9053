import { defaultLogger, type WebhookStore } from '@pasis/core';
import { type ClaimResult, KeyPruner } from '@pasis/core/adapter';
import type { SqlBridge } from './bridge.js';
import { Claims } from './claims.js';
import { Connection } from './connection.js';
import { DEFAULT_TABLE, dialectNamed, quoteTable } from './dialects/index.js';
import { configError, PACKAGE } from './errors.js';
import { runMigration } from './migrations.js';
import { checkBridge, checkLogger, resolveOptions, type SqlStoreOptions } from './options.js';

/**
 * The SQL store: a {@link WebhookStore} whose claim is a transaction of your database,
 * opened by your own ORM, handed to the handlers as `ctx.tx` (`Tx` is the ORM's transaction
 * object: Prisma's transaction client, TypeORM's `EntityManager`, a Knex `Transaction`...).
 *
 * @example
 * const store: SqlStore<Prisma.TransactionClient> = createSqlStore({ db: fromPrisma(prisma, { dialect: 'postgres' }) });
 * await store.migrate();
 * process.on('SIGTERM', () => store.close()); // stops pruning; your client stays yours to close
 */
export interface SqlStore<Tx> extends WebhookStore<Tx> {
  claim(key: string, options: { leaseMs: number }): Promise<ClaimResult<Tx>>;
  complete(key: string, token: string, options: { ttlMs: number }): Promise<void>;
  release(key: string, token: string): Promise<void>;
  /** Creates the dedupe table and its index when missing. Idempotent, safe from several processes at once. */
  migrate(): Promise<void>;
  /** Deletes keys older than `retentionMs` now, in small batches; answers how many. */
  prune(): Promise<number>;
  /** Stops the pruning timer (waiting for a round in flight). Never closes your database. */
  close(): Promise<void>;
  /** The dedupe table, as given (or the default). */
  readonly table: string;
  /** The dialect the store speaks (the bridge's). */
  readonly dialect: string;
  /**
   * The ambient transaction manager (nestjs-cls's `TransactionHost`) whose transactions the
   * store's are, when built with `fromTransactionHost`: `@pasis/nestjs` checks at boot that
   * an app using one has its webhook store on it.
   */
  readonly transactionHost: object | undefined;
}

/**
 * A deduplication store in your own SQL database (PostgreSQL, MySQL/MariaDB, SQLite),
 * reached through the ORM or driver your app already uses. Each delivery's handlers run in
 * a transaction your ORM opened, and the delivery's key is recorded in that transaction with
 * the database's own conflict-free insert (`ON CONFLICT DO NOTHING`, `INSERT IGNORE`,
 * `INSERT OR IGNORE`): the record and the handler's writes commit together or roll back
 * together. A concurrent duplicate waits for the first one's transaction, up to
 * `lockTimeoutMs`, then is answered as a duplicate (200) or, while it still runs, 409.
 *
 * @example
 * import { createSqlStore, fromPrisma } from '@pasis/sql';
 *
 * const store = createSqlStore({ db: fromPrisma(prisma, { dialect: 'postgres' }) });
 * await store.migrate();
 * app.use(pasisWebhook({
 *   store,
 *   on: { 'session:processed': async (event, ctx) => {
 *     await ctx.tx.payment.create({ data: { sessionId: event.session_id, amount: event.amount } });
 *   } },
 * }));
 */
export function createSqlStore<Tx>(options: SqlStoreOptions<Tx>): SqlStore<Tx> {
  if (typeof options !== 'object' || options === null) {
    throw configError('createSqlStore needs options: { db: fromPrisma(prisma, ...) } or another bridge.');
  }
  const bridge = checkBridge<Tx>(options.db);
  const dialect = dialectNamed(bridge.dialect, `the ${bridge.name ?? 'given'} bridge`);
  const resolved = resolveOptions(options as SqlStoreOptions<unknown>);
  const table = quoteTable(dialect, options.table ?? DEFAULT_TABLE);
  const logger = checkLogger(options.logger ?? defaultLogger);
  const connection = new Connection(bridge, { ...resolved, dialect, table, logger });
  const claims = new Claims(bridge, connection);
  const pruner = new KeyPruner({
    packageName: PACKAGE,
    batch: async () =>
      (await connection.run([dialect.prune(table, resolved.retentionMs, resolved.pruneBatchSize)], 'pruning'))
        .affected,
    batchSize: resolved.pruneBatchSize,
    intervalMs: resolved.pruneIntervalMs,
    logger,
  });

  return {
    table: table.name,
    dialect: dialect.name,
    transactionHost: bridge.transactionHost,
    claim: (key) => claims.claim(key),
    // Core's ttlMs does not apply: the record was written at claim; retentionMs prunes it.
    complete: (key, token) => claims.commit(key, token),
    release: (key, token) => claims.rollback(key, token),
    migrate: () =>
      runMigration(connection as Connection<unknown>, dialect, table, dialect.deliveriesTable(table)),
    prune: () => pruner.prune(),
    close: () => pruner.stop(),
  };
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The dedupe table. Default `'pasis_webhook_deliveries'`. */
  table?: string;
  /** The outbox table too, when you use `createOutbox`. Default: none. */
  outboxTable?: string;
}

/**
 * Creates the store's table (and the outbox's, when named) through `db` when missing: the
 * same as `store.migrate()`, for a migration step that runs before the app starts.
 * Idempotent; safe from several processes at once.
 *
 * @example
 * await migrate(fromPrisma(prisma, { dialect: 'postgres' }));
 * await migrate(fromTypeORM(dataSource), { outboxTable: 'pasis_outbox' });
 */
export async function migrate(db: SqlBridge<unknown>, options: MigrateOptions = {}): Promise<void> {
  const bridge = checkBridge<unknown>(db);
  const dialect = dialectNamed(bridge.dialect, `the ${bridge.name ?? 'given'} bridge`);
  const resolved = resolveOptions({ db: bridge });
  const table = quoteTable(dialect, options.table ?? DEFAULT_TABLE);
  const connection = new Connection(bridge, { ...resolved, dialect, table, logger: defaultLogger });
  await runMigration(connection, dialect, table, dialect.deliveriesTable(table));
  if (options.outboxTable !== undefined) {
    const outbox = quoteTable(dialect, options.outboxTable, 'outboxTable');
    await runMigration(connection, dialect, outbox, dialect.outbox.table(outbox));
  }
}
