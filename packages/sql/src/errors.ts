import { PasisError } from '@pasis/core';

/** The package every configuration error and store error names. */
export const PACKAGE = '@pasis/sql';

/** A configuration mistake, named after the package so the merchant knows where to look. */
export function configError(message: string): PasisError<'config_error'> {
  return new PasisError('config_error', `${PACKAGE}: ${message}`);
}

/**
 * A failure of the database under a store step: core answers the delivery 503 (the handler
 * does not run, or its work is not kept) and Pasis retries. The message says what failed and
 * why, never the statement (it holds the delivery's key) nor its parameters.
 */
export function storeError(step: string, cause: unknown, hint = ''): PasisError<'store_unavailable'> {
  const reason = cause instanceof Error ? firstLine(cause.message) : String(cause);
  return new PasisError('store_unavailable', `@pasis/sql: ${step} failed: ${reason}.${hint}`, { cause });
}

// Prisma's messages start with an "Invalid `prisma.$executeRawUnsafe()` invocation" banner:
// the line that says why is the last non-empty one.
function firstLine(message: string): string {
  const lines = message
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  return (lines.length > 1 && /^Invalid `/.test(lines[0]!) ? lines.at(-1) : lines[0]) ?? message;
}

// Where drivers and ORMs keep the database's own error code: pg and mysql2 on the error
// itself, TypeORM under driverError, Prisma under meta.driverAdapterError.cause, Knex and
// MikroORM as the cause or the original error. Searched a few levels deep, never in a loop.
const NESTED = ['cause', 'driverError', 'originalError', 'meta', 'driverAdapterError', 'parent', 'error'];
const CODES = ['code', 'errno', 'originalCode', 'sqlState', 'rawCode'];

/**
 * Every error code found on `error` and the errors it wraps (`code`, `errno`,
 * `originalCode`, ...), as strings: `['P2010', '55P03']` for Prisma's lock timeout.
 *
 * @example
 * errorCodes(prismaError).includes('55P03');
 */
export function errorCodes(error: unknown, depth = 0, found: string[] = []): string[] {
  if (depth > 4 || typeof error !== 'object' || error === null) return found;
  const record = error as Record<string, unknown>;
  for (const name of CODES) {
    const code = record[name];
    if (typeof code === 'string' || typeof code === 'number') found.push(String(code));
  }
  for (const name of NESTED) errorCodes(record[name], depth + 1, found);
  return found;
}
