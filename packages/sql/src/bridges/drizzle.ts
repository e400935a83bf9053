import { pgAborted, type SqlBridge } from '../bridge.js';
import type { DialectName } from '../dialects/index.js';
import { configError } from '../errors.js';
import { dialectFor, normalizeResult } from './results.js';

/** The part of a Drizzle database the bridge uses. */
export interface DrizzleLike {
  // biome-ignore lint/suspicious/noExplicitAny: Drizzle's own signature
  transaction(fn: (tx: any) => any, config?: any): any;
}

/** Drizzle's transaction, as the database's own `transaction` types it: what `ctx.tx` is. */
export type DrizzleTransaction<D> = D extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches any result type
  transaction(fn: (tx: infer X) => any, config?: any): any;
}
  ? X
  : never;

interface DrizzleTxLike {
  execute?(sql: string): Promise<unknown>;
  run?(sql: string): Promise<unknown>;
  /** node-postgres: the session holds the transaction's PoolClient. */
  session?: { client?: unknown };
}

/**
 * A bridge to a Drizzle database (0.3x, 0.4x) on an async driver: node-postgres, PGlite,
 * postgres.js, mysql2, libSQL. Each delivery runs in `db.transaction(...)`, and `ctx.tx` is
 * its transaction: `ctx.tx.update(orders).set(...)`. `dialect` is required. A synchronous
 * SQLite driver (better-sqlite3, sql.js) cannot hold a transaction across a handler's awaits
 * in Drizzle: use libSQL.
 *
 * @example
 * const db = drizzle({ client: pool });
 * const store = createSqlStore({ db: fromDrizzle(db, { dialect: 'postgres' }) });
 */
export function fromDrizzle<D extends DrizzleLike>(
  db: D,
  options: { dialect: DialectName; serial?: boolean },
): SqlBridge<DrizzleTransaction<D>> {
  if (typeof (db as DrizzleLike | null)?.transaction !== 'function') {
    throw configError('fromDrizzle needs a Drizzle database (drizzle({ client })), not its driver.');
  }
  const dialect = dialectFor('fromDrizzle', options?.dialect, undefined);
  const client = (db as { $client?: object }).$client ?? db;
  return {
    name: 'Drizzle',
    dialect,
    client,
    // PGlite behind Drizzle: one connection.
    serial: options.serial ?? typeof (client as { waitReady?: unknown }).waitReady === 'object',
    transaction: (work) => Promise.resolve(db.transaction(work)),
    async execute(tx, sql) {
      const { execute, run } = tx as DrizzleTxLike;
      // Drizzle's SQLite databases run statements with run(); the others with execute().
      const result = dialect === 'sqlite' ? await run!.call(tx, sql) : await execute!.call(tx, sql);
      return normalizeResult(result);
    },
    // On node-postgres, pg's own client says whether the transaction is still open.
    aborted: (tx) => (dialect === 'postgres' ? pgAborted((tx as DrizzleTxLike).session?.client) : undefined),
  };
}
