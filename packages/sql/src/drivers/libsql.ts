import { affectedOf, rowsOf, type SqlBridge } from '../bridge.js';
import { configError } from '../errors.js';

/** The part of a libSQL Transaction the bridge uses. */
export interface LibsqlTransactionLike {
  execute(sql: string): Promise<{ rows?: unknown; rowsAffected?: number }>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  close(): void;
}

/** The part of a libSQL client the bridge uses. */
export interface LibsqlClientLike {
  transaction(mode: 'write'): Promise<unknown>;
}

/** The transaction a libSQL client opens: what `ctx.tx` is. */
export type LibsqlTransactionOf<C> = C extends { transaction(mode: 'write'): Promise<infer T> } ? T : never;

/**
 * A bridge to a libSQL client (`@libsql/client`: SQLite in a local file, or Turso). Each
 * transaction is `client.transaction('write')` (`BEGIN IMMEDIATE`: it takes SQLite's write
 * lock at once), committed or rolled back, then closed. SQLite has one writer: the store
 * runs its transactions one at a time in the process, and another process holding the
 * write lock gets the delivery answered 409 (retried).
 *
 * @example
 * import { createClient } from '@libsql/client';
 * const store = createSqlStore({ db: fromLibsql(createClient({ url: 'file:./.data/shop.db' })) });
 * on: { 'session:processed': (event, ctx) => ctx.tx.execute({ sql: 'UPDATE orders SET paid = 1 WHERE session_id = ?', args: [event.session_id] }) }
 */
export function fromLibsql<C extends LibsqlClientLike>(client: C): SqlBridge<LibsqlTransactionOf<C>> {
  if (typeof (client as LibsqlClientLike | null)?.transaction !== 'function') {
    throw configError("fromLibsql needs a libSQL client (createClient({ url }) from '@libsql/client').");
  }
  return {
    name: 'libSQL',
    client: client,
    dialect: 'sqlite',
    async transaction(work) {
      const tx = (await client.transaction('write')) as LibsqlTransactionLike;
      try {
        const result = await work(tx as LibsqlTransactionOf<C>);
        await tx.commit();
        return result;
      } catch (error) {
        await tx.rollback().catch(() => {});
        throw error;
      } finally {
        tx.close();
      }
    },
    async execute(tx, sql) {
      const result = await (tx as LibsqlTransactionLike).execute(sql);
      return { rows: rowsOf(result.rows), affected: affectedOf(result.rowsAffected) };
    },
  };
}
