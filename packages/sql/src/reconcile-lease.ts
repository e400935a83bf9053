import { randomUUID } from 'node:crypto';
import { defaultLogger } from '@pasis/core';
import type { ReconcileLease } from '@pasis/core/adapter';
import type { SqlBridge } from './bridge.js';
import { Connection } from './connection.js';
import { DEFAULT_RECONCILE_LEASE_TABLE, dialectNamed, quoteTable } from './dialects/index.js';
import { configError } from './errors.js';
import { storedKey } from './keys.js';
import { runMigration } from './migrations.js';
import { checkBridge, integer, MAX_TIMER_MS, resolveOptions } from './options.js';

/** Expired rows deleted per sweep; a lease sweeps at most once a minute. */
const SWEEP_BATCH = 1_000;
const SWEEP_EVERY_MS = 60_000;
/** Tries of one page when the database picked it as a deadlock's victim (MySQL's gap locks). */
const CLAIM_TRIES = 3;

/**
 * Options of {@link createSqlReconcileLease}. Validated at construction.
 *
 * @example
 * createSqlReconcileLease({ db: fromMysql2(pool, { dialect: 'mariadb' }), table: 'shop.pasis_reconcile_leases' });
 */
export interface SqlReconcileLeaseOptions<Tx> {
  /** Your database, through a bridge (the store's own is fine). Required. */
  db: SqlBridge<Tx>;
  /** The lease table, optionally qualified. Default `'pasis_reconcile_leases'`. */
  table?: string;
  /** Longest wait for a transaction and for each statement of a claim. Default 5,000 ms. */
  commandTimeoutMs?: number;
}

/**
 * The reconciler's lease on SQL: a {@link ReconcileLease} plus its table's migration.
 *
 * @example
 * const lease: SqlReconcileLease = createSqlReconcileLease({ db });
 * await lease.migrate();
 */
export interface SqlReconcileLease extends ReconcileLease {
  /** Creates the lease table when missing. Idempotent. */
  migrate(): Promise<void>;
  /** The table, as given (or the default). */
  readonly table: string;
}

// An id as a row gave it back: text, or the hex of its bytes (MySQL's VARBINARY).
function idOf(row: Record<string, unknown>): string {
  if (typeof row.session_hex === 'string') return Buffer.from(row.session_hex, 'hex').toString('utf8');
  return String(row.session_id);
}

/**
 * The reconciler's lease in your SQL database (PostgreSQL, MySQL/MariaDB, SQLite), through
 * the same bridges as the store, shared by every instance of an app
 * (`createReconciler({ ..., lease })`): one row per session being checked, kept until it
 * expires, so it outlives the connection and the instance that wrote it. A page of ids is
 * one short transaction: an upsert that takes free or expired rows and leaves live ones
 * alone (PostgreSQL and SQLite answer with RETURNING; MySQL marks the rows it took with a
 * token of this claim, then reads them back). Ids are compared byte for byte. Expired rows
 * are deleted by a claim at most once a minute. Run `lease.migrate()` once (or ship
 * `migrationSql(dialect, { table: false, reconcileLeaseTable: 'pasis_reconcile_leases' })`).
 *
 * @example
 * const lease = createSqlReconcileLease({ db: fromPrisma(prisma, { dialect: 'postgres' }) });
 * await lease.migrate();
 * createReconciler({ client: pasis, webhooks, sessions, lease }).start({ everyMs: 60_000 });
 */
export function createSqlReconcileLease<Tx>(options: SqlReconcileLeaseOptions<Tx>): SqlReconcileLease {
  if (typeof options !== 'object' || options === null) {
    throw configError(
      'createSqlReconcileLease needs options: { db: fromPrisma(prisma, ...) } or another bridge.',
    );
  }
  const bridge = checkBridge<Tx>(options.db);
  const dialect = dialectNamed(bridge.dialect, `the ${bridge.name ?? 'given'} bridge`);
  const table = quoteTable(dialect, options.table ?? DEFAULT_RECONCILE_LEASE_TABLE);
  const resolved = resolveOptions({ db: bridge });
  const commandTimeoutMs = integer(
    'commandTimeoutMs',
    options.commandTimeoutMs ?? resolved.commandTimeoutMs,
    1,
    MAX_TIMER_MS,
  );
  const file = `${dialect.name === 'mariadb' ? 'mysql' : dialect.name}-reconcile-leases.sql`;
  const createdBy = `the lease's migrate() (or @pasis/sql/sql/${file})`;
  const settings = { ...resolved, commandTimeoutMs, dialect, table, logger: defaultLogger, createdBy };
  const connection = new Connection(bridge, settings) as Connection<unknown>;
  const statements = dialect.reconcileLease;
  let nextSweep = 0;

  async function claimPage(ids: readonly string[], leaseMs: number): Promise<string[]> {
    // Stored keys (a long id as its hash), sorted: concurrent claims lock rows in one order.
    const byKey = new Map(ids.map((id) => [storedKey(id), id]));
    const keys = [...byKey.keys()].sort();
    for (let attempt = 1; ; attempt++) {
      try {
        const { rows } = await connection.run(
          statements.claim(table, keys, leaseMs, randomUUID()),
          'claiming reconcile leases',
        );
        return rows.map(idOf).flatMap((key) => byKey.get(key) ?? []);
      } catch (error) {
        // A deadlock's victim was rolled back whole: nothing of it was kept, so it may go again.
        if (attempt >= CLAIM_TRIES || !connection.isLockFailure((error as Error).cause)) throw error;
      }
    }
  }

  return {
    table: table.name,
    async claim(sessionIds, { leaseMs }) {
      if (sessionIds.length === 0) return [];
      const granted = await claimPage(sessionIds, leaseMs);
      if (Date.now() >= nextSweep) {
        nextSweep = Date.now() + SWEEP_EVERY_MS;
        // In its own transaction, after the claim; a failed sweep only leaves rows for the next.
        await connection
          .run([statements.sweep(table, SWEEP_BATCH)], 'sweeping reconcile leases')
          .catch(() => {});
      }
      return granted;
    },
    migrate: () => runMigration(connection, dialect, table, statements.table(table)),
  };
}
