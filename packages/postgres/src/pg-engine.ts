import { withTimeout } from '@pasis/core/adapter';
import { giveBack, watch } from './connection-errors.js';
import type { PgPoolClientLike, PgPoolLike, QueryResultLike } from './database.js';
import {
  abortedCommit,
  COMPLETED,
  type Engine,
  IN_PROGRESS,
  LOCK_NOT_AVAILABLE,
  noOpenClaim,
  OpenClaims,
} from './engine.js';
import { sqlState, storeError } from './errors.js';
import type { EngineSettings } from './settings.js';
import { type OpenTransaction, openTransaction } from './transaction.js';

interface PgClaim<Client> {
  key: string;
  client: PgPoolClientLike;
  open: OpenTransaction<Client>;
}

const asError = (error: unknown) => (error instanceof Error ? error : new Error(String(error)));

/**
 * Claims on a `pg` Pool: each claim takes a connection, opens a transaction with a local
 * lock timeout and inserts the key; a concurrent holder of the key makes the INSERT wait
 * for its commit (→ completed) or rollback (→ claimed), or for the lock timeout (→
 * in_progress). The connection goes back to the pool on every path, and is destroyed
 * instead whenever it may be broken (a network error, a step that did not answer).
 */
export function pgEngine<Client>(pool: PgPoolLike, settings: EngineSettings): Engine<Client> {
  const { lockTimeoutMs, commandTimeoutMs, statements } = settings;
  // BEGIN, the lock timeout and the key's INSERT go as one simple query: one round trip
  // where a parameterised INSERT would need a second (the key is quoted as a literal).
  // SET LOCAL ends with the transaction, so the pool's other users keep their own
  // lock_timeout. lockTimeoutMs is a validated integer.
  const begin = `BEGIN; SET LOCAL lock_timeout = ${lockTimeoutMs}; `;
  const claims = new OpenClaims<PgClaim<Client>>();
  const fail = (step: string, error: unknown) => storeError(step, error, settings.table.name);

  async function connect(): Promise<PgPoolClientLike> {
    const connecting = Promise.resolve(pool.connect());
    try {
      const client = await withTimeout(connecting, commandTimeoutMs, 'the pool');
      watch(client);
      return client;
    } catch (error) {
      // A connection that arrives after we gave up goes straight back to the pool.
      connecting.then(
        (late) => giveBack(late),
        () => {},
      );
      throw fail('getting a connection from the pool', error);
    }
  }

  // biome-ignore lint/suspicious/noExplicitAny: the driver takes any[]
  const send = (client: PgPoolClientLike, sql: string, params?: any[], ms = commandTimeoutMs) =>
    withTimeout(Promise.resolve(client.query(sql, params)), ms, 'PostgreSQL');

  /** Ends the transaction with `sql` and gives the connection back (destroyed when that failed). */
  async function end(client: PgPoolClientLike, sql: 'COMMIT' | 'ROLLBACK'): Promise<QueryResultLike> {
    try {
      const result = await send(client, sql);
      giveBack(client);
      return result;
    } catch (error) {
      giveBack(client, asError(error));
      throw error;
    }
  }

  /** After a failed step: roll back a connection the server answered, destroy any other. */
  async function abandon(client: PgPoolClientLike, error: unknown) {
    if (sqlState(error) === undefined) giveBack(client, asError(error));
    else await end(client, 'ROLLBACK').catch(() => {});
  }

  return {
    async claim(key) {
      const client = await connect();
      try {
        // The INSERT may wait up to the lock timeout for a concurrent holder of the key.
        const results = await send(
          client,
          begin + statements.claimLiteral(key),
          undefined,
          lockTimeoutMs + commandTimeoutMs,
        );
        // A multi-statement query answers one result per statement: the INSERT's is the last.
        const { rows } = Array.isArray(results) ? (results.at(-1) as QueryResultLike) : results;
        if (rows.length === 0) {
          await end(client, 'ROLLBACK').catch(() => {}); // the answer stands even if this fails
          return COMPLETED;
        }
      } catch (error) {
        await abandon(client, error);
        if (sqlState(error) === LOCK_NOT_AVAILABLE) return IN_PROGRESS;
        throw fail('claiming the delivery', error);
      }
      const open = openTransaction(client as Client, (sql, params) => client.query(sql, params));
      const token = claims.add({ key, client, open });
      return { state: 'claimed', token, tx: open.tx };
    },

    async commit(key, token) {
      const claim = claims.take(key, token);
      if (claim === undefined) throw noOpenClaim();
      claim.open.end();
      let result: QueryResultLike;
      try {
        result = await end(claim.client, 'COMMIT');
      } catch (error) {
        throw fail('committing the delivery', error);
      }
      if (result.command === 'ROLLBACK') throw abortedCommit();
    },

    async rollback(key, token) {
      const claim = claims.take(key, token);
      if (claim === undefined) return;
      claim.open.end();
      try {
        await end(claim.client, 'ROLLBACK');
      } catch (error) {
        // The connection was destroyed: PostgreSQL rolls the transaction back on its own.
        throw fail('rolling back the delivery', error);
      }
    },

    async run(steps) {
      const client = await connect();
      let rows: unknown[] = [];
      try {
        await send(client, 'BEGIN');
        for (const step of steps) rows = (await send(client, step.sql, step.params)).rows;
      } catch (error) {
        await abandon(client, error);
        throw fail('a maintenance statement', error);
      }
      try {
        await end(client, 'COMMIT');
      } catch (error) {
        throw fail('committing a maintenance statement', error);
      }
      return rows;
    },
  };
}
