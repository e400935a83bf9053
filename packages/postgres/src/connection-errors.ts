import type { PgPoolClientLike } from './database.js';

type Listener = (error: Error) => void;
interface Watch {
  listener: Listener;
  /** The error the connection emitted while the store held it, if any. */
  broken?: Error;
}

// Keyed by the client object itself: pg hands the same PoolClient out again after a release.
const watches = new WeakMap<PgPoolClientLike, Watch>();

/**
 * Listens for `error` on a connection the store has just taken from the pool. pg-pool
 * removes its own idle listener when it hands a client out, so when the server ends the
 * connection while no query runs on it (`pg_terminate_backend`, a failover, a proxy's idle
 * timeout) while the handler awaits something else, the client emits `error` with no
 * listener and Node crashes the merchant's process. Held this way, the error is only
 * remembered: the step that uses the connection next fails as a store error (503, retried)
 * and {@link giveBack} destroys the connection instead of pooling it.
 */
export function watch(client: PgPoolClientLike): void {
  if (typeof client.on !== 'function') return; // not an EventEmitter: nothing can go unheard
  const state: Watch = {
    listener: (error) => {
      state.broken ??= error;
    },
  };
  watches.set(client, state);
  client.on('error', state.listener);
}

/** Gives `client` back to the pool, destroyed when it failed (`error`) or broke while held. */
export function giveBack(client: PgPoolClientLike, error?: Error): void {
  const state = watches.get(client);
  if (state !== undefined) {
    watches.delete(client);
    client.removeListener?.('error', state.listener);
  }
  const broken = error ?? state?.broken;
  if (broken === undefined) client.release();
  else client.release(broken);
}
