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
}

const HEADER =
  '-- @pasis/sql: one row per handled webhook delivery, written in the same transaction as the\n' +
  "-- handler's own writes. Idempotent; the same statements as the store's migrate().\n";
const OUTBOX_HEADER =
  "-- @pasis/sql outbox: effects written in a delivery's transaction, sent after it committed by\n" +
  "-- the outbox's worker. Idempotent; the same statements as the outbox's migrate().\n";

/**
 * The SQL that creates the store's table (and the outbox's, when asked) on `dialect`, for
 * your own migration tool (Prisma Migrate, TypeORM migrations, Knex, Drizzle Kit, Flyway).
 * Idempotent. The default tables' SQL is shipped as `@pasis/sql/sql/<dialect>.sql` and
 * `@pasis/sql/sql/<dialect>-outbox.sql` (`mariadb` uses the `mysql` files).
 *
 * @example
 * migrationSql('postgres');                                  // pasis_webhook_deliveries
 * migrationSql('mysql', { outboxTable: 'pasis_outbox' });   // and the outbox
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
