import { PasisError, silentLogger } from '@pasis/core';
import { configError, type ReconcileLease } from '@pasis/core/adapter';
import { databaseKind, type PostgresDatabase } from './database.js';
import type { Engine } from './engine.js';
import { PACKAGE, sqlState } from './errors.js';
import { leaseClaimSql, leaseSweepSql, leaseTableName, leaseTableStatements } from './lease-schema.js';
import { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_LOCK_TIMEOUT_MS } from './options.js';
import { storeStatements } from './schema.js';
import { engineFor } from './store.js';

/** How often one lease deletes expired rows: once a minute at most. */
const SWEEP_EVERY_MS = 60_000;

/**
 * Options of {@link createPostgresReconcileLease}.
 *
 * @example
 * createPostgresReconcileLease({ db: pool, table: 'billing.pasis_reconcile_leases' });
 */
export interface PostgresReconcileLeaseOptions {
  /** Your database: a `pg` Pool or PGlite (the store's own is fine). Never closed by the lease. Required. */
  db: PostgresDatabase;
  /** The lease table, optionally schema-qualified. Default `'pasis_reconcile_leases'`. */
  table?: string;
  /** `pg` only: longest wait for a connection and for each statement of a claim. Default 5,000 ms. */
  commandTimeoutMs?: number;
}

/**
 * The reconciler's lease on PostgreSQL: a {@link ReconcileLease} plus its table's migration.
 *
 * @example
 * const lease: PostgresReconcileLease = createPostgresReconcileLease({ db: pool });
 * await lease.migrate();
 */
export interface PostgresReconcileLease extends ReconcileLease {
  /** Creates the lease table and its index when missing. Idempotent, safe from several processes at once. */
  migrate(): Promise<void>;
  /** The table, as given (or the default). */
  readonly table: string;
}

/**
 * The reconciler's lease on your PostgreSQL, shared by every instance of an app
 * (`createReconciler({ ..., lease })`): one row per session being checked, kept until its
 * `expires_at`, so it outlives the connection (and the instance) that wrote it. A page of
 * ids is one `INSERT ... ON CONFLICT DO UPDATE ... WHERE expires_at <= now() RETURNING`:
 * the ids it wrote are granted, live rows are left alone. Expired rows are deleted by a
 * claim at most once a minute. Run `lease.migrate()` once (or ship `reconcileLeaseMigrationSql()`).
 *
 * @example
 * const lease = createPostgresReconcileLease({ db: pool });
 * await lease.migrate();
 * createReconciler({ client: pasis, webhooks, sessions, lease }).start({ everyMs: 60_000 });
 */
export function createPostgresReconcileLease(options: PostgresReconcileLeaseOptions): PostgresReconcileLease {
  if (typeof options !== 'object' || options === null) {
    throw configError(PACKAGE, 'createPostgresReconcileLease needs options: { db }.');
  }
  databaseKind(options.db);
  const commandTimeoutMs = options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS;
  if (!Number.isSafeInteger(commandTimeoutMs) || commandTimeoutMs < 1) {
    throw configError(
      PACKAGE,
      `commandTimeoutMs must be a positive integer, got ${String(commandTimeoutMs)}.`,
    );
  }
  const table = leaseTableName(options.table);
  const statements = storeStatements(table);
  const engine: Engine<unknown> = engineFor(options.db, {
    table,
    statements,
    lockTimeoutMs: DEFAULT_LOCK_TIMEOUT_MS,
    commandTimeoutMs,
    // Claims run as maintenance statements, which log nothing: a failed page is the reconciler's to log.
    logger: silentLogger,
  });
  const claimSql = leaseClaimSql(table);
  const sweepSql = leaseSweepSql(table);
  let nextSweep = 0;

  // In its own transaction, after the claim: rows it deletes are never waited for by it.
  async function sweepIfDue() {
    if (Date.now() < nextSweep) return;
    nextSweep = Date.now() + SWEEP_EVERY_MS;
    // A failed sweep costs nothing but rows: the next one (a minute on) deletes them.
    await engine.run([{ sql: sweepSql }]).catch(() => {});
  }

  return {
    table: table.name,
    async claim(sessionIds, { leaseMs }) {
      if (sessionIds.length === 0) return [];
      let rows: unknown[];
      try {
        rows = await engine.run([{ sql: claimSql, params: [sessionIds, leaseMs] }]);
      } catch (error) {
        if (sqlState((error as Error).cause) !== '42P01') throw error;
        throw new PasisError(
          'store_unavailable',
          `${PACKAGE}: the table ${table.name} is missing: run the lease's migrate() (or @pasis/postgres/sql/reconcile-leases.sql) first.`,
          { cause: error },
        );
      }
      await sweepIfDue();
      return rows.map((row) => String((row as { session_id: unknown }).session_id));
    },
    async migrate() {
      const steps = leaseTableStatements(table).map((sql) => ({ sql }));
      await engine.run([{ sql: statements.migrationLock, params: [table.name] }, ...steps]);
    },
  };
}
