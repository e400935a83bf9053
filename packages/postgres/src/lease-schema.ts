/**
 * The reconcile lease's table and its one claim statement. The table's SQL is also shipped
 * as `sql/reconcile-leases.sql`; a test keeps the two identical.
 */
import type { TableName } from './schema.js';
import { tableName } from './schema.js';

/** The default lease table: `pasis_reconcile_leases`. */
export const DEFAULT_RECONCILE_LEASE_TABLE = 'pasis_reconcile_leases';

/** Expired rows deleted per sweep (at most one a minute per lease), so settled sessions' rows go. */
const SWEEP = 1_000;

/** A validated lease table name (`table` or `schema.table`). */
export function leaseTableName(name: unknown = DEFAULT_RECONCILE_LEASE_TABLE): TableName {
  const table = tableName(name);
  const bare = table.name.split('.').at(-1)!;
  return { ...table, indexSql: `"${`${bare}_expires_at`.slice(0, 63)}"` };
}

/** The statements that create the lease table and its index; each idempotent. */
export function leaseTableStatements(table: TableName): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
      '  session_id text PRIMARY KEY,\n' +
      '  expires_at timestamptz NOT NULL\n' +
      ')',
    `CREATE INDEX IF NOT EXISTS ${table.indexSql} ON ${table.sql} (expires_at)`,
  ];
}

/**
 * The SQL that creates the reconcile lease's table, for your own migration tool. Idempotent.
 * The default table's SQL is also in the package as `@pasis/postgres/sql/reconcile-leases.sql`.
 *
 * @example
 * await pool.query(reconcileLeaseMigrationSql()); // or paste it into a migration file
 */
export function reconcileLeaseMigrationSql(table: string = DEFAULT_RECONCILE_LEASE_TABLE): string {
  const header =
    "-- @pasis/postgres: the reconciler's lease, one row per pending session an instance of the\n" +
    "-- fleet is checking (until expires_at). Idempotent; the same statements as the lease's migrate().\n";
  return `${header}${leaseTableStatements(leaseTableName(table)).join(';\n\n')};\n`;
}

/**
 * Claims the ids $1 (text[]) for $2 ms: a row nobody has is inserted, an expired one taken
 * over, a live one left alone (its lease is not extended); the rows written come back. Two
 * instances inserting one id at once queue on its unique index: the second then sees the
 * first's live row. Rows are written in id order, so instances listing one page in other
 * orders queue instead of deadlocking.
 */
export function leaseClaimSql(table: TableName): string {
  return (
    `INSERT INTO ${table.sql} AS lease (session_id, expires_at) ` +
    `SELECT id, now() + $2 * interval '1 millisecond' FROM unnest($1::text[]) AS id ORDER BY id ` +
    'ON CONFLICT (session_id) DO UPDATE SET expires_at = EXCLUDED.expires_at WHERE lease.expires_at <= now() ' +
    'RETURNING lease.session_id'
  );
}

/**
 * Deletes up to 1,000 expired rows (an expired row and no row mean the same: free), so the
 * table holds about the pending sessions, not every session ever leased. Locked rows are
 * skipped: it never waits, so it never takes part in a deadlock.
 */
export function leaseSweepSql(table: TableName): string {
  return (
    `DELETE FROM ${table.sql} WHERE session_id IN (SELECT session_id FROM ${table.sql} ` +
    `WHERE expires_at <= now() ORDER BY expires_at LIMIT ${SWEEP} FOR UPDATE SKIP LOCKED)`
  );
}
