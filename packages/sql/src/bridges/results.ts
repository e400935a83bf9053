import { affectedOf, type ExecuteResult, rowsOf } from '../bridge.js';
import type { DialectName } from '../dialects/index.js';
import { configError } from '../errors.js';

/** Whether a statement of the store answers rows: a SELECT, or a write with RETURNING. */
export const answersRows = (sql: string): boolean => sql.startsWith('SELECT') || sql.includes(' RETURNING ');

/**
 * What a driver answered, whichever driver it was: node-postgres (`{ rows, rowCount }`),
 * PGlite (`{ rows, affectedRows }`), postgres.js (an array of rows with `count`), mysql2 and
 * mariadb (`[rows | { affectedRows }, fields]`, or the header alone), libSQL
 * (`{ rows, rowsAffected }`), better-sqlite3-like (`{ changes }`).
 *
 * @example
 * normalizeResult(await trx.raw(sql)); // { rows, affected }
 */
export function normalizeResult(result: unknown): ExecuteResult {
  if (Array.isArray(result)) {
    const [first, fields] = result as unknown[];
    // mysql2: [rows or a ResultSetHeader, fields]
    if (
      result.length === 2 &&
      (Array.isArray(first) || isHeader(first)) &&
      (fields === undefined || Array.isArray(fields))
    ) {
      return Array.isArray(first)
        ? { rows: rowsOf(first), affected: 0 }
        : { rows: [], affected: header(first) };
    }
    return { rows: rowsOf(result), affected: affectedOf((result as { count?: unknown }).count) };
  }
  if (isHeader(result)) return { rows: [], affected: header(result) };
  const value = (result ?? {}) as Record<string, unknown>;
  return {
    rows: rowsOf(value.rows),
    affected: affectedOf(
      value.rowCount,
      value.affectedRows,
      value.rowsAffected,
      value.changes,
      value.numAffectedRows,
    ),
  };
}

function isHeader(value: unknown): value is { affectedRows: unknown } {
  return typeof value === 'object' && value !== null && 'affectedRows' in value && !('rows' in value);
}
const header = (value: { affectedRows: unknown }) => affectedOf(value.affectedRows);

// What each ORM calls its databases, mapped to the store's dialects.
const FAMILIES: Record<string, DialectName> = {
  postgres: 'postgres',
  postgresql: 'postgres',
  pg: 'postgres',
  pglite: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql',
  mariadb: 'mariadb',
  sqlite: 'sqlite',
  sqlite3: 'sqlite',
  'better-sqlite3': 'sqlite',
  sqljs: 'sqlite',
  libsql: 'sqlite',
};

/**
 * The dialect of a bridge: the one given, checked against what the ORM says of its database
 * when it says something (`detected`); a disagreement, or neither, is a `config_error`.
 * `mariadb` may be given for a database the ORM calls MySQL (the MariaDB server is the judge).
 */
export function dialectFor(bridge: string, given: unknown, detected: string | undefined): DialectName {
  const family = detected === undefined ? undefined : FAMILIES[detected.toLowerCase()];
  if (given === undefined) {
    if (family !== undefined) return family;
    throw configError(
      `${bridge} needs { dialect: 'postgres' | 'mysql' | 'mariadb' | 'sqlite' }: the store cannot tell your database${
        detected === undefined ? '' : ` (the ORM calls it "${detected}")`
      }.`,
    );
  }
  const compatible =
    family === undefined ||
    family === given ||
    (family === 'mysql' && given === 'mariadb') ||
    (family === 'mariadb' && given === 'mysql');
  if (!compatible) {
    throw configError(
      `${bridge} was given dialect '${String(given)}', but the ORM's database is "${detected}": give '${family}'.`,
    );
  }
  return given as DialectName;
}
