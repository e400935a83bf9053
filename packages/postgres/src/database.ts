/**
 * The small interface the store needs of a database, recognised structurally: a `pg` Pool
 * (or anything shaped like one) or a PGlite instance. The package imports neither.
 */
import { configError } from '@pasis/core/adapter';
import { PACKAGE } from './errors.js';

/** What the store reads of a query's answer (pg and PGlite both give these). */
export interface QueryResultLike {
  rows: unknown[];
  /** The command tag, e.g. `'COMMIT'`, or `'ROLLBACK'` when a failed transaction was ended. */
  command?: string;
  /** pg: rows affected (or returned). */
  rowCount?: number | null;
  /** PGlite: rows affected by INSERT, UPDATE or DELETE. */
  affectedRows?: number;
}

/** The part of a `pg` PoolClient the store uses. */
export interface PgPoolClientLike {
  // biome-ignore lint/suspicious/noExplicitAny: pg's own signature takes any[]
  query(text: string, values?: any[]): Promise<QueryResultLike>;
  /** Gives the connection back; with an error (or `true`) it is destroyed instead. */
  release(destroy?: boolean | Error): void;
  /** pg's clients are EventEmitters: the store listens for `error` while it holds one. */
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/**
 * The part of a `pg` Pool the store uses. Recommended pool options: `max` at least the
 * deliveries you expect at once plus what the app itself needs, `connectionTimeoutMillis`
 * (e.g. 5,000) so a starved pool fails fast, and `idleTimeoutMillis`.
 */
export interface PgPoolLike {
  connect(): Promise<PgPoolClientLike>;
}

/** The part of PGlite's Transaction the store uses. */
export interface PGliteTransactionLike {
  // biome-ignore lint/suspicious/noExplicitAny: PGlite's own signature takes any[]
  query(text: string, params?: any[]): Promise<QueryResultLike>;
  rollback(): Promise<void>;
}

/** The part of a PGlite instance the store uses. */
export interface PGliteLike {
  transaction<T>(callback: (tx: PGliteTransactionLike) => Promise<T>): Promise<T>;
  // biome-ignore lint/suspicious/noExplicitAny: PGlite's own signature takes any[]
  query(text: string, params?: any[]): Promise<QueryResultLike>;
}

/**
 * A database the store can use: a `pg` Pool (node-postgres, or a compatible pool) or a
 * PGlite instance (`@electric-sql/pglite`).
 *
 * @example
 * const db: PostgresDatabase = new Pool({ connectionString: process.env.DATABASE_URL });
 */
export type PostgresDatabase = PgPoolLike | PGliteLike;

// pg's Pool declares connect() twice (promise, then callback): inference reads the last
// overload, so the client type is taken from the callback when the promise gives unknown.
type CallbackClientOf<Db> = Db extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches any callback signature
  connect(callback: (error: any, client: infer C, done: any) => void): void;
}
  ? NonNullable<C>
  : unknown;

/**
 * The connection a claim's transaction runs on, as the database's own type: `PoolClient`
 * for a `pg` Pool, PGlite's `Transaction` for PGlite. What `ctx.tx.client` is.
 *
 * @example
 * type Client = DatabaseClient<pg.Pool>; // pg.PoolClient
 */
export type DatabaseClient<Db> = Db extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches any result type
  transaction(callback: (tx: infer T) => Promise<any>): Promise<any>;
}
  ? T
  : Db extends { connect(): Promise<infer C> }
    ? unknown extends C
      ? CallbackClientOf<Db>
      : C
    : unknown;

/** Which engine drives `db`. Throws a `config_error` for anything else, saying what to pass. */
export function databaseKind(db: unknown): 'pg' | 'pglite' {
  const value = db as Record<string, unknown> | null | undefined;
  if (typeof value !== 'object' || value === null) {
    throw configError(PACKAGE, '`db` is required: a pg Pool (new Pool(...)) or a PGlite instance.');
  }
  if (typeof value.transaction === 'function' && typeof value.query === 'function') return 'pglite';
  if (typeof value.connect === 'function') {
    // A pg Client has connect() too, but one connection cannot hold a transaction per delivery.
    if (typeof value.totalCount !== 'number' && 'connectionParameters' in value) {
      throw configError(
        PACKAGE,
        '`db` is a pg Client: pass a Pool (new Pool(...)), which hands each delivery its own connection.',
      );
    }
    return 'pg';
  }
  if ('$client' in value) {
    throw configError(
      PACKAGE,
      "`db` is an ORM instance: pass its driver (e.g. Drizzle's db.$client, the pg Pool or PGlite).",
    );
  }
  throw configError(PACKAGE, '`db` must be a pg Pool (new Pool(...)) or a PGlite instance.');
}
