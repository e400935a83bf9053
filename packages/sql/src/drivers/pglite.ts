import { affectedOf, rowsOf, type SqlBridge } from '../bridge.js';
import { configError } from '../errors.js';

/** The part of PGlite's Transaction the bridge uses. */
export interface PGliteTransactionLike {
  query(text: string): Promise<{ rows?: unknown; affectedRows?: number }>;
}

/** The part of a PGlite instance the bridge uses. */
export interface PGliteLike {
  // biome-ignore lint/suspicious/noExplicitAny: PGlite's callback may answer anything
  transaction<T>(callback: (tx: any) => Promise<T>): Promise<T>;
}

/** PGlite's `Transaction`, as the instance's own `transaction()` types it: what `ctx.tx` is. */
export type PGliteTransactionOf<D> = D extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches any result type
  transaction(callback: (tx: infer T) => Promise<any>): Promise<any>;
}
  ? T
  : never;

/**
 * A bridge to PGlite (embedded PostgreSQL in WASM). PGlite has one connection, so the
 * store runs its transactions one at a time (a delivery waits up to `lockTimeoutMs` for the
 * one before, then 409). `ctx.tx` is PGlite's `Transaction`: write through it, never
 * through the instance, which would wait for the handler's own transaction forever.
 *
 * @example
 * const store = createSqlStore({ db: fromPGlite(new PGlite('./.data/shop')) });
 */
export function fromPGlite<D extends PGliteLike>(db: D): SqlBridge<PGliteTransactionOf<D>> {
  if (typeof (db as PGliteLike | null)?.transaction !== 'function') {
    throw configError('fromPGlite needs a PGlite instance (new PGlite(...)).');
  }
  return {
    name: 'PGlite',
    client: db,
    dialect: 'postgres',
    serial: true,
    transaction: (work) => db.transaction(work),
    async execute(tx, sql) {
      const result = await (tx as PGliteTransactionLike).query(sql);
      return { rows: rowsOf(result.rows), affected: affectedOf(result.affectedRows) };
    },
  };
}
