import { PasisError } from '@pasis/core';

/** The package every configuration error (core's `configError`) and store error names. */
export const PACKAGE = '@pasis/postgres';

const UNDEFINED_TABLE = '42P01';

/**
 * A failure of the database under a store step: core answers the delivery 503 (the
 * handler does not run, or its work is not kept) and Pasis retries. The message says what
 * failed and why, never the parameters (a dedupe key is all they hold anyway).
 */
export function storeError(step: string, cause: unknown, table: string): PasisError<'store_unavailable'> {
  const reason = cause instanceof Error ? cause.message : String(cause);
  const hint =
    sqlState(cause) === UNDEFINED_TABLE
      ? ` The table ${table} is missing: run the store's migrate() (or @pasis/postgres/sql/schema.sql) first.`
      : '';
  return new PasisError('store_unavailable', `${PACKAGE}: ${step} failed: ${reason}.${hint}`, { cause });
}

/** The SQLSTATE of an error the server sent (pg's DatabaseError, PGlite's), else undefined. */
export function sqlState(error: unknown): string | undefined {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && /^[0-9A-Z]{5}$/.test(code) ? code : undefined;
}
