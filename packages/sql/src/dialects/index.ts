import { configError } from '../errors.js';
import type { Dialect, DialectName, QuotedTable } from './dialect.js';
import { mariadb, mysql } from './mysql.js';
import { postgres } from './postgres.js';
import { sqlite } from './sqlite.js';

export type {
  Dialect,
  DialectName,
  OutboxStatements,
  QuotedTable,
  ReconcileLeaseStatements,
} from './dialect.js';

/** Every dialect, by name: the one table of database differences. */
export const DIALECTS: Readonly<Record<DialectName, Dialect>> = { postgres, mysql, mariadb, sqlite };

/** The dialect called `name`, or a `config_error` listing the names there are. */
export function dialectNamed(name: unknown, where: string): Dialect {
  const dialect = typeof name === 'string' ? DIALECTS[name as DialectName] : undefined;
  if (dialect === undefined || !Object.hasOwn(DIALECTS, name as string)) {
    throw configError(
      `${where}: dialect must be one of ${Object.keys(DIALECTS)
        .map((n) => `'${n}'`)
        .join(', ')}, got ${JSON.stringify(name)}.`,
    );
  }
  return dialect;
}

/** The default dedupe table: `pasis_webhook_deliveries`, as `@pasis/postgres` names it. */
export const DEFAULT_TABLE = 'pasis_webhook_deliveries';
/** The default outbox table: `pasis_outbox`. */
export const DEFAULT_OUTBOX_TABLE = 'pasis_outbox';
/** The default reconcile lease table: `pasis_reconcile_leases`, as `@pasis/postgres` names it. */
export const DEFAULT_RECONCILE_LEASE_TABLE = 'pasis_reconcile_leases';

// A plain lower-case identifier, at most 63 bytes (PostgreSQL's limit; MySQL's is 64).
// Always written quoted, so even a reserved word such as `order` works.
const IDENTIFIER = /^[a-z_][a-z0-9_]{0,62}$/;

/** Validates `name` (`table` or `schema.table`) and quotes it for `dialect`. */
export function quoteTable(dialect: Dialect, name: unknown, option = 'table'): QuotedTable {
  const parts = typeof name === 'string' ? name.split('.') : [];
  if (parts.length < 1 || parts.length > 2 || !parts.every((part) => IDENTIFIER.test(part))) {
    throw configError(
      `${option} must be a lower-case SQL identifier (letters, digits, _; at most 63), optionally qualified ` +
        `("schema.table"), got ${JSON.stringify(name)}.`,
    );
  }
  const bare = parts.at(-1)!;
  return {
    name: name as string,
    sql: parts.map((part) => dialect.quote(part)).join('.'),
    schema: parts.length === 2 ? dialect.quote(parts[0]!) : undefined,
    bare,
  };
}
