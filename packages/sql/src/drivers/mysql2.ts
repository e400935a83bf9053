import { affectedOf, rowsOf, type SqlBridge } from '../bridge.js';
import { configError } from '../errors.js';

/** The part of a `mysql2/promise` PoolConnection the bridge uses. */
export interface Mysql2ConnectionLike {
  query(sql: string): Promise<[unknown, unknown]>;
  beginTransaction(): Promise<void>;
  commit(): Promise<void>;
  rollback(): Promise<void>;
  release(): void;
  destroy(): void;
  /** mysql2's callback connection under the promise one (typed on `PoolConnection`). */
  connection?: Mysql2CoreLike;
}

/** The callback connection under a `mysql2/promise` one: the store's own statements go through it. */
interface Mysql2CoreLike {
  query(sql: string, done: (error: unknown, result: unknown) => void): unknown;
  beginTransaction(done: (error: unknown) => void): unknown;
  commit(done: (error: unknown) => void): unknown;
  rollback(done: (error: unknown) => void): unknown;
}

type Step = 'query' | 'beginTransaction' | 'commit' | 'rollback';

/** The OK packet's status flag: a transaction is open. */
const SERVER_STATUS_IN_TRANS = 1;

/**
 * One of the store's own statements. mysql2's promise API captures a stack trace per call
 * (`trace`, on by default) for errors the merchant reads; the store reports its own errors,
 * so it calls the callback connection underneath: 3-4 µs of CPU less per statement (more
 * when the caller's async stack is deep), 4 statements a delivery.
 */
function send(connection: Mysql2ConnectionLike, step: Step, sql = ''): Promise<unknown> {
  const core = connection.connection;
  if (typeof core?.[step] !== 'function') {
    return step === 'query' ? connection.query(sql).then(([result]) => result) : connection[step]();
  }
  return new Promise((resolve, reject) => {
    const done = (error: unknown, result?: unknown) => (error ? reject(error) : resolve(result));
    if (step === 'query') core.query(sql, done);
    else core[step](done);
  });
}

/** The part of a `mysql2/promise` Pool the bridge uses. */
export interface Mysql2PoolLike {
  getConnection(): Promise<unknown>;
}

/** The connection a promise pool hands out: what `ctx.tx` is. */
export type Mysql2Connection<P> = P extends { getConnection(): Promise<infer C> } ? C : never;

/**
 * A bridge to a `mysql2/promise` Pool (MySQL or MariaDB): each transaction takes a
 * connection, `START TRANSACTION`, your handler's statements, `COMMIT` (or `ROLLBACK`), and
 * gives it back; a connection that failed is destroyed, never pooled. `dialect` is `'mysql'`
 * (the default) or `'mariadb'` (one statement less per delivery, MariaDB only).
 *
 * @example
 * import mysql from 'mysql2/promise';
 * const store = createSqlStore({ db: fromMysql2(mysql.createPool(process.env.DATABASE_URL)) });
 * on: { 'session:processed': (event, ctx) => ctx.tx.query('UPDATE orders SET paid = 1 WHERE session_id = ?', [event.session_id]) }
 */
export function fromMysql2<P extends Mysql2PoolLike>(
  pool: P,
  options: { dialect?: 'mysql' | 'mariadb' } = {},
): SqlBridge<Mysql2Connection<P>> {
  if (typeof (pool as Mysql2PoolLike | null)?.getConnection !== 'function') {
    throw configError(
      "fromMysql2 needs a mysql2 promise Pool (mysql.createPool(...) from 'mysql2/promise').",
    );
  }
  // A callback pool (from 'mysql2') has promise(); a promise pool does not.
  if (typeof (pool as { promise?: unknown }).promise === 'function') {
    throw configError(
      "fromMysql2 needs a promise Pool: import mysql from 'mysql2/promise', or pass pool.promise().",
    );
  }
  // Connections whose last statement from the store said no transaction is open any more
  // (the store's check committed it, see commitsInStatement): their COMMIT is not sent. Only
  // the store's own statements' OK packets count: after a failed statement (an ERR packet,
  // no status) mysql2's connection.serverStatus still says what the one before said, so
  // "in a transaction" after a deadlock had rolled it back.
  const ended = new WeakSet<Mysql2ConnectionLike>();
  return {
    name: 'mysql2',
    client: pool,
    dialect: options.dialect ?? 'mysql',
    commitsInStatement: true,
    async transaction(work) {
      const connection = (await pool.getConnection()) as Mysql2ConnectionLike;
      ended.delete(connection);
      try {
        await send(connection, 'beginTransaction');
      } catch (error) {
        connection.destroy();
        throw error;
      }
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(connection as Mysql2Connection<P>);
      } catch (error) {
        ended.delete(connection);
        await send(connection, 'rollback').then(
          () => connection.release(),
          () => connection.destroy(),
        );
        throw error;
      }
      if (ended.delete(connection)) {
        connection.release();
        return result;
      }
      try {
        await send(connection, 'commit');
      } catch (error) {
        connection.destroy();
        throw error;
      }
      connection.release();
      return result;
    },
    async execute(connection, sql) {
      const result = await send(connection as Mysql2ConnectionLike, 'query', sql);
      const status = (result as { serverStatus?: unknown }).serverStatus;
      if (typeof status === 'number' && (status & SERVER_STATUS_IN_TRANS) === 0)
        ended.add(connection as Mysql2ConnectionLike);
      else ended.delete(connection as Mysql2ConnectionLike);
      return {
        rows: rowsOf(result),
        affected: affectedOf((result as { affectedRows?: number }).affectedRows),
      };
    },
  };
}
