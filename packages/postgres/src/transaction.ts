import { PasisError } from '@pasis/core';
import type { QueryResultLike } from './database.js';

/**
 * What {@link PostgresTransaction.query} resolves to.
 *
 * @example
 * const { rows, rowCount } = await ctx.tx.query<{ id: number }>('UPDATE orders SET status = $1 RETURNING id', ['paid']);
 */
export interface PostgresQueryResult<Row = Record<string, unknown>> {
  rows: Row[];
  /** Rows inserted, updated or deleted (for INSERT, UPDATE, DELETE), else rows returned. */
  rowCount: number;
}

/**
 * The transaction a delivery's handlers write in: `ctx.tx`. Everything written through it
 * commits together with the delivery's dedupe record once every handler succeeded, and is
 * rolled back with it when one throws. It ends with the delivery: a query after that is
 * refused, so a query that was not awaited can never land in another delivery's
 * transaction on a reused connection.
 *
 * @example
 * on: { 'session:processed': async (event, ctx) => {
 *   await ctx.tx.query('UPDATE orders SET status = $1 WHERE session_id = $2', ['paid', event.session_id]);
 *   await ctx.tx.query('INSERT INTO payments (session_id, amount) VALUES ($1, $2)', [event.session_id, event.amount]);
 * } }
 */
export interface PostgresTransaction<Client = unknown> {
  /** Runs one statement with `$1`-style parameters in the delivery's transaction. */
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<PostgresQueryResult<Row>>;
  /**
   * The connection the transaction runs on, for an ORM to wrap: a `pg` `PoolClient`, or
   * PGlite's `Transaction`. Use it only while the handler runs; never commit, roll back or
   * release it yourself.
   */
  readonly client: Client;
}

/** A transaction handed to handlers, and the switch that ends it. */
export interface OpenTransaction<Client> {
  tx: PostgresTransaction<Client>;
  /** From now on `tx.query` rejects. */
  end(): void;
}

const ENDED =
  '@pasis/postgres: ctx.tx was used after its delivery ended (committed or rolled back). ' +
  'Await every query inside the handler; do not keep ctx.tx for later.';

/** Wraps `client` as a {@link PostgresTransaction} that refuses queries once ended. */
export function openTransaction<Client>(
  client: Client,
  // biome-ignore lint/suspicious/noExplicitAny: the drivers take any[]
  run: (sql: string, params: any[] | undefined) => Promise<QueryResultLike>,
): OpenTransaction<Client> {
  let ended = false;
  const tx: PostgresTransaction<Client> = {
    client,
    async query<Row>(sql: string, params?: readonly unknown[]) {
      if (ended) throw new PasisError('handler_failed', ENDED);
      const result = await run(sql, params as unknown[] | undefined);
      return { rows: result.rows as Row[], rowCount: rowCountOf(result) };
    },
  };
  return {
    tx,
    end() {
      ended = true;
    },
  };
}

function rowCountOf(result: QueryResultLike): number {
  const { rowCount, affectedRows } = result;
  if (typeof rowCount !== 'number' && typeof affectedRows !== 'number') return result.rows.length;
  // pg counts affected (or returned) rows in rowCount; PGlite counts affected ones apart.
  return Math.max(rowCount ?? 0, affectedRows ?? 0);
}
