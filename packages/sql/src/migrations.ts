import type { Connection } from './connection.js';
import {
  type Dialect,
  type DialectName,
  dialectNamed,
  type QuotedTable,
  quoteTable,
} from './dialects/index.js';

/** Which tables {@link migrationSql} writes. */
export interface MigrationSqlOptions {
  /** The dedupe table; `false` for none. Default `'pasis_webhook_deliveries'`. */
  table?: string | false;
  /** The outbox table (see `createOutbox`), when you use one. Default: none. */
  outboxTable?: string;
  /** The reconcile lease table (see `createSqlReconcileLease`), when you use one. Default: none. */
  reconcileLeaseTable?: string;
}

const HEADER =
  '-- @pasis/sql: one row per handled webhook delivery, written in the same transaction as the\n' +
  "-- handler's own writes. Idempotent; the same statements as the store's migrate().\n";
const OUTBOX_HEADER =
  "-- @pasis/sql outbox: effects written in a delivery's transaction, sent after it committed by\n" +
  "-- the outbox's worker. Idempotent; the same statements as the outbox's migrate().\n";

const LEASE_HEADER =
  '-- @pasis/sql reconcile lease: one row per pending session an instance of the fleet is\n' +
  "-- checking (until expires_at). Idempotent; the same statements as the lease's migrate().\n";

/**
 * The SQL that creates the store's table (and the outbox's, when asked) on `dialect`, for
 * your own migration tool (Prisma Migrate, TypeORM migrations, Knex, Drizzle Kit, Flyway).
 * Idempotent. The default tables' SQL is shipped as `@pasis/sql/sql/<dialect>.sql`,
 * `@pasis/sql/sql/<dialect>-outbox.sql` and `@pasis/sql/sql/<dialect>-reconcile-leases.sql`
 * (`mariadb` uses the `mysql` files).
 *
 * @example
 * migrationSql('postgres');                                  // pasis_webhook_deliveries
 * migrationSql('mysql', { outboxTable: 'pasis_outbox' });   // and the outbox
 * migrationSql('sqlite', { table: false, reconcileLeaseTable: 'pasis_reconcile_leases' });
 */
export function migrationSql(dialect: DialectName, options: MigrationSqlOptions = {}): string {
  const d = dialectNamed(dialect, 'migrationSql');
  const parts: string[] = [];
  if (options.table !== false) {
    const statements = d.deliveriesTable(quoteTable(d, options.table ?? 'pasis_webhook_deliveries'));
    parts.push(`${HEADER}${statements.join(';\n\n')};\n`);
  }
  if (options.outboxTable !== undefined) {
    const statements = d.outbox.table(quoteTable(d, options.outboxTable, 'outboxTable'));
    parts.push(`${OUTBOX_HEADER}${statements.join(';\n\n')};\n`);
  }
  if (options.reconcileLeaseTable !== undefined) {
    const table = quoteTable(d, options.reconcileLeaseTable, 'reconcileLeaseTable');
    parts.push(`${LEASE_HEADER}${d.reconcileLease.table(table).join(';\n\n')};\n`);
  }
  return parts.join('\n');
}

/**
 * Creates `statements` (idempotent DDL) in one transaction of their own, after the
 * dialect's migration lock where it has one (PostgreSQL: an advisory lock, so that several
 * processes starting at once queue).
 */
export async function runMigration(
  connection: Connection<unknown>,
  dialect: Dialect,
  table: QuotedTable,
  statements: readonly string[],
): Promise<void> {
  const lock = dialect.migrationLock ? [dialect.migrationLock(table)] : [];
  await connection.run([...lock, ...statements], `creating ${table.name}`);
}
