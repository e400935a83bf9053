import { defaultLogger, type PasisLogger, type WebhookStore } from '@pasis/core';
import { type ClaimResult, configError, KeyPruner } from '@pasis/core/adapter';
import { type DatabaseClient, databaseKind, type PostgresDatabase } from './database.js';
import type { Engine } from './engine.js';
import { PACKAGE } from './errors.js';
import { type PostgresStoreOptions, resolveOptions } from './options.js';
import { pgEngine } from './pg-engine.js';
import { pgliteEngine } from './pglite-engine.js';
import { migrationStatements, storeStatements, type TableName, tableName } from './schema.js';
import type { EngineSettings } from './settings.js';
import type { PostgresTransaction } from './transaction.js';

/**
 * The PostgreSQL store: a {@link WebhookStore} whose claim is a transaction of your
 * database, handed to the handlers as `ctx.tx`. `Client` is the connection's own type
 * (`PoolClient` for pg, PGlite's `Transaction`), as `ctx.tx.client`.
 *
 * @example
 * const store: PostgresStore<PoolClient> = createPostgresStore({ db: pool });
 * await store.migrate();
 * process.on('SIGTERM', () => store.close()); // stops pruning; your pool stays yours to end
 */
export interface PostgresStore<Client = unknown> extends WebhookStore<PostgresTransaction<Client>> {
  claim(key: string, options: { leaseMs: number }): Promise<ClaimResult<PostgresTransaction<Client>>>;
  complete(key: string, token: string, options: { ttlMs: number }): Promise<void>;
  release(key: string, token: string): Promise<void>;
  /** Creates the store's table and index when missing. Idempotent, safe from several processes at once. */
  migrate(): Promise<void>;
  /** Deletes keys older than `retentionMs` now, in small batches; answers how many. */
  prune(): Promise<number>;
  /** Stops the pruning timer (waiting for a round in flight). Never closes your database. */
  close(): Promise<void>;
  /** The table, as given (or the default). */
  readonly table: string;
}

function checkLogger(logger: PasisLogger): PasisLogger {
  const methods = ['debug', 'info', 'warn', 'error'] as const;
  if (typeof logger !== 'object' || logger === null || methods.some((m) => typeof logger[m] !== 'function')) {
    throw configError(PACKAGE, 'logger must have debug, info, warn and error methods.');
  }
  return logger;
}

/** The engine that drives `db` (a `pg` Pool or PGlite). */
export function engineFor<Client>(db: PostgresDatabase, settings: EngineSettings): Engine<Client> {
  return databaseKind(db) === 'pglite'
    ? pgliteEngine(db as Parameters<typeof pgliteEngine>[0], settings)
    : pgEngine(db as Parameters<typeof pgEngine>[0], settings);
}

/** Creates the table on `engine` under an advisory lock, so concurrent migrations queue. */
function runMigration(engine: Engine<unknown>, table: TableName, lockSql: string): Promise<unknown> {
  const steps = migrationStatements(table).map((sql) => ({ sql }));
  return engine.run([{ sql: lockSql, params: [table.name] }, ...steps]);
}

/**
 * A deduplication store that runs each delivery's handlers inside a transaction of your
 * own PostgreSQL and records the delivery's key in that same transaction (under a unique
 * key): the record and the handler's writes commit together, or roll back together. A
 * crash before the commit keeps nothing (the redelivery runs the handler); after it, the
 * redelivery is a duplicate. A concurrent duplicate waits for the first one's transaction,
 * up to `lockTimeoutMs`, then is answered as a duplicate (or 409 while still running).
 *
 * `db` is a `pg` Pool or a PGlite instance. Run `store.migrate()` once at start (or ship
 * `migrationSql()` with your migrations).
 *
 * @example
 * import pg from 'pg';
 * import { createPostgresStore } from '@pasis/postgres';
 *
 * const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, connectionTimeoutMillis: 5_000 });
 * const store = createPostgresStore({ db: pool });
 * await store.migrate();
 * app.use(pasisWebhook({
 *   'session:processed': async (event, ctx) => {
 *     await ctx.tx.query('INSERT INTO payments (session_id, amount) VALUES ($1, $2)', [event.session_id, event.amount]);
 *   },
 * }, { store }));
 */
export function createPostgresStore<Db extends PostgresDatabase>(
  options: PostgresStoreOptions<Db>,
): PostgresStore<DatabaseClient<Db>> {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE, 'createPostgresStore needs options: { db }.');
  }
  const { db } = options;
  databaseKind(db);
  const resolved = resolveOptions(options);
  const table = tableName(options.table);
  const statements = storeStatements(table);
  const logger = checkLogger(options.logger ?? defaultLogger);
  const engine = engineFor<DatabaseClient<Db>>(db, { ...resolved, table, statements, logger });
  const pruner = new KeyPruner({
    packageName: PACKAGE,
    batch: async () => {
      const params = [resolved.retentionMs, resolved.pruneBatchSize];
      const [row] = (await engine.run([{ sql: statements.prune, params }])) as { n: number }[];
      return row?.n ?? 0;
    },
    batchSize: resolved.pruneBatchSize,
    intervalMs: resolved.pruneIntervalMs,
    logger,
  });

  return {
    table: table.name,
    claim: (key) => engine.claim(key),
    // Core's ttlMs does not apply: the record was written at claim; retentionMs prunes it.
    complete: (key, token) => engine.commit(key, token),
    release: (key, token) => engine.rollback(key, token),
    migrate: async () =>
      void (await runMigration(engine as Engine<unknown>, table, statements.migrationLock)),
    prune: () => pruner.prune(),
    close: () => pruner.stop(),
  };
}

/** Options of {@link migrate}. */
export interface MigrateOptions {
  /** The table, optionally schema-qualified. Default `'pasis_webhook_deliveries'`. */
  table?: string;
}

/**
 * Creates the store's table and index in `db` when missing: the same as `store.migrate()`,
 * for a migration step that runs before the app starts. Idempotent; concurrent runs queue
 * on an advisory lock.
 *
 * @example
 * await migrate(pool);                           // pasis_webhook_deliveries
 * await migrate(pool, { table: 'billing.pasis_webhook_deliveries' });
 */
export async function migrate(db: PostgresDatabase, options: MigrateOptions = {}): Promise<void> {
  const store = createPostgresStore({ db, table: options.table, pruneIntervalMs: 0 });
  await store.migrate();
}
