/**
 * The store's one table and every statement the store sends, built once per store from a
 * validated table name. The table's SQL is also shipped as `sql/schema.sql`; a test keeps
 * the two identical.
 */
import { configError } from '@pasis/core/adapter';
import { PACKAGE } from './errors.js';

/** The default table: `pasis_webhook_deliveries`. */
export const DEFAULT_TABLE = 'pasis_webhook_deliveries';

// A plain, lower-case SQL identifier (what PostgreSQL folds an unquoted name to), at most
// 63 bytes. Written double-quoted, so a reserved word such as `order` works too.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** A validated table name, as the statements write it. */
export interface TableName {
  /** As given, e.g. `'billing.pasis_webhook_deliveries'`. */
  name: string;
  /** Quoted and schema-qualified when a schema was given: `"billing"."pasis_webhook_deliveries"`. */
  sql: string;
  /** The index on `recorded_at` (indexes live in their table's schema: never qualified). */
  indexSql: string;
}

/** Validates `name` (`table` or `schema.table`) as plain SQL identifiers. */
export function tableName(name: unknown = DEFAULT_TABLE): TableName {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw configError(
      PACKAGE,
      `table must be a lower-case SQL identifier (letters, digits, _; at most 63), optionally schema-qualified ` +
        `("schema.table"), got ${JSON.stringify(name)}.`,
    );
  }
  const table = parts[parts.length - 1]!;
  return {
    name: name as string,
    sql: parts.map((part) => `"${part}"`).join('.'),
    indexSql: `"${`${table}_recorded_at`.slice(0, 63)}"`,
  };
}

/** The statements that create the table and its index; each idempotent. */
export function migrationStatements(table: TableName): string[] {
  return [
    `CREATE TABLE IF NOT EXISTS ${table.sql} (\n` +
      `  dedupe_key text PRIMARY KEY,\n` +
      `  recorded_at timestamptz NOT NULL DEFAULT now()\n` +
      `)`,
    `CREATE INDEX IF NOT EXISTS ${table.indexSql} ON ${table.sql} (recorded_at)`,
  ];
}

/**
 * The SQL that creates the store's table, for your own migration tool (Drizzle Kit, Prisma
 * Migrate, node-pg-migrate, Flyway...). Idempotent. The default table's SQL is also in the
 * package as `@pasis/postgres/sql/schema.sql`.
 *
 * @example
 * await pool.query(migrationSql()); // or paste it into a migration file
 * migrationSql('billing.webhook_deliveries');
 */
export function migrationSql(table: string = DEFAULT_TABLE): string {
  const header =
    '-- @pasis/postgres: one row per handled webhook delivery, written in the same transaction\n' +
    "-- as the handler's own writes. Idempotent; the same statements as the store's migrate().\n";
  return `${header}${migrationStatements(tableName(table)).join(';\n\n')};\n`;
}

/** Every statement of a store, built once. */
export interface StoreStatements {
  /** Records the key ($1); one row back when this claim took it, none when it was committed before. */
  claim: string;
  /** The same INSERT with the key written in as a literal, for one round trip with BEGIN (pg). */
  claimLiteral(key: string): string;
  /** Deletes up to $2 keys older than $1 ms, skipping rows a claim holds; answers `{ n }`. */
  prune: string;
  /** Serialises concurrent migrations (two processes starting at once). */
  migrationLock: string;
}

/** Builds the statements of a store on `table`. */
export function storeStatements(table: TableName): StoreStatements {
  const conflict = ' ON CONFLICT (dedupe_key) DO NOTHING RETURNING true AS claimed';
  return {
    claim: `INSERT INTO ${table.sql} (dedupe_key) VALUES ($1)${conflict}`,
    claimLiteral: (key) => `INSERT INTO ${table.sql} (dedupe_key) VALUES (${quoteLiteral(key)})${conflict}`,
    prune:
      `WITH gone AS (DELETE FROM ${table.sql} WHERE dedupe_key IN (` +
      `SELECT dedupe_key FROM ${table.sql} WHERE recorded_at < now() - $1 * interval '1 millisecond' ` +
      'ORDER BY recorded_at LIMIT $2 FOR UPDATE SKIP LOCKED) RETURNING 1) ' +
      'SELECT count(*)::int AS n FROM gone',
    migrationLock: `SELECT pg_advisory_xact_lock(hashtext('@pasis/postgres migrate ' || $1))`,
  };
}

/**
 * `value` as an SQL string literal, safe whatever `standard_conforming_strings` says: quotes
 * and backslashes are doubled, and a value with a backslash is written `E'...'` (what pg's
 * own `escapeLiteral` does). A NUL byte cannot be in a text value: PostgreSQL refuses it.
 */
export function quoteLiteral(value: string): string {
  const doubled = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${doubled.replace(/\\/g, '\\\\')}'` : `'${doubled}'`;
}
