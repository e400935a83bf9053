import { affectedOf, pgAborted, rowsOf, type SqlBridge } from '../bridge.js';
import { configError } from '../errors.js';

interface PgResult {
  rows?: unknown;
  rowCount?: number | null;
  command?: string;
}

/** The part of a `pg` PoolClient the bridge uses. */
export interface PgClientLike {
  /** One result, or one per statement for a simple query of several. */
  query(text: string): Promise<PgResult | PgResult[]>;
  release(destroy?: boolean | Error): void;
  on?(event: 'error', listener: (error: Error) => void): unknown;
  removeListener?(event: 'error', listener: (error: Error) => void): unknown;
}

/** The part of a `pg` Pool the bridge uses. */
export interface PgPoolLike {
  connect(): Promise<unknown>;
}

// pg's Pool declares connect() twice (promise, then callback): inference reads the last
// overload, so the client type is taken from the callback when the promise gives unknown.
type CallbackClientOf<P> = P extends {
  // biome-ignore lint/suspicious/noExplicitAny: matches any callback signature
  connect(callback: (error: any, client: infer C, done: any) => void): void;
}
  ? NonNullable<C>
  : unknown;

/**
 * The connection a pool hands out: `PoolClient` for `pg.Pool`. What `ctx.tx` is.
 *
 * @example
 * type Tx = PgPoolClient<pg.Pool>; // pg.PoolClient
 */
export type PgPoolClient<P> = P extends { connect(): Promise<infer C> }
  ? unknown extends C
    ? CallbackClientOf<P>
    : C
  : unknown;

/**
 * A bridge to a `pg` Pool (node-postgres): each transaction takes a connection, `BEGIN`,
 * your handler's statements, `COMMIT` (or `ROLLBACK`), and gives it back; a connection
 * that failed is destroyed, never pooled. `ctx.tx` is the `PoolClient`: run your queries on
 * it, never `release()` it yourself.
 *
 * @example
 * const store = createSqlStore({ db: fromPg(pool) });
 * on: { 'session:processed': (event, ctx) => ctx.tx.query('UPDATE orders SET paid = true WHERE session_id = $1', [event.session_id]) }
 */
export function fromPg<P extends PgPoolLike>(pool: P): SqlBridge<PgPoolClient<P>> {
  const value = pool as unknown as Record<string, unknown> | null;
  if (typeof value?.connect !== 'function') throw configError('fromPg needs a pg Pool (new Pool(...)).');
  if ('connectionParameters' in value && typeof value.totalCount !== 'number') {
    throw configError(
      'fromPg needs a pg Pool (new Pool(...)), not a Client: one connection cannot hold a transaction per delivery.',
    );
  }
  const unbegun = new WeakSet<PgClientLike>();
  return {
    name: 'pg',
    client: pool,
    dialect: 'postgres',
    async transaction(work) {
      const client = (await pool.connect()) as PgClientLike;
      // pg emits `error` on a client the server dropped while no query ran on it; with no
      // listener Node would crash the process. Held here, it fails the next step instead.
      let broken: Error | undefined;
      const listener = (error: Error) => {
        broken ??= error;
      };
      client.on?.('error', listener);
      const giveBack = (error?: unknown) => {
        client.removeListener?.('error', listener);
        const fault = error instanceof Error ? error : broken;
        if (fault) client.release(fault);
        else client.release();
      };
      // BEGIN goes with the transaction's first statement, one round trip (the store's
      // statements take no parameters, so they may share a simple query).
      unbegun.add(client);
      let result: Awaited<ReturnType<typeof work>>;
      try {
        result = await work(client as PgPoolClient<P>);
      } catch (error) {
        unbegun.delete(client);
        await client.query('ROLLBACK').then(
          () => giveBack(),
          (failure: unknown) => giveBack(failure),
        );
        throw error;
      }
      let commit: PgResult;
      try {
        commit = (await client.query('COMMIT')) as PgResult;
      } catch (error) {
        giveBack(error);
        throw error;
      }
      giveBack();
      // PostgreSQL answers ROLLBACK to the COMMIT of a transaction in which a statement failed.
      if (commit.command === 'ROLLBACK') throw new Error('PostgreSQL rolled the transaction back at COMMIT');
      return result;
    },
    async execute(client, sql) {
      const first = unbegun.delete(client as PgClientLike);
      const answer = await (client as PgClientLike).query(first ? `BEGIN; ${sql}` : sql);
      // A simple query of several statements answers one result each: the last is ours.
      const result = Array.isArray(answer) ? answer.at(-1) : answer;
      return { rows: rowsOf(result?.rows), affected: affectedOf(result?.rowCount) };
    },
    aborted: (client) => pgAborted(client),
  };
}
