import type { PasisClient } from '../client/create-client.js';
import type { PasisLogger } from '../logging/logger.js';
import type { PasisTracerProvider } from '../telemetry/source.js';
import type { WebhookReceiver } from '../webhooks/receiver-types.js';
import type { ReconcileLease } from './lease.js';

/** A session the app still considers open: its id, or any object carrying `session_id` (an order row). */
export type SessionRef = string | { readonly session_id: string };

/**
 * What the app's `sessions` function is asked for.
 *
 * @example
 * sessions: ({ before }) => db.query('select session_id from orders where status = $1 and created_at < $2', ['pending', before])
 */
export interface SessionsQuery {
  /** Only sessions older than this many milliseconds are wanted (the run's `olderThanMs`). */
  olderThanMs: number;
  /**
   * The same as `olderThanMs`, under its former name.
   * @deprecated Read `olderThanMs`; this goes in the next minor version.
   */
  olderThan: number;
  /** The same as a point in time: now minus `olderThanMs`. */
  before: Date;
  /** Aborted when the reconciler is stopped; pass it on to a slow query if you can. */
  signal: AbortSignal;
}

/** The app's list of open sessions: an array or any iterable, sync or async, or a promise of one. */
export type SessionsSource = (
  query: SessionsQuery,
) =>
  | Iterable<SessionRef>
  | AsyncIterable<SessionRef>
  | PromiseLike<Iterable<SessionRef> | AsyncIterable<SessionRef>>;

/**
 * Options of `createReconciler`. Validated at construction (`config_error`).
 *
 * @example
 * const reconciler = createReconciler({ client: pasis, webhooks, sessions: () => orders.pendingSessionIds() });
 */
export interface ReconcilerOptions<Tx = undefined> {
  /** The Pasis client the sessions are retrieved with (its timeouts and retries apply). */
  client: Pick<PasisClient, 'checkout'>;
  /** The webhook receiver whose handlers and store the reconciler shares (`webhooks.receive`). */
  webhooks: Pick<WebhookReceiver<Tx>, 'receive'>;
  /** The app's function returning the sessions it still considers open (the app owns its orders). */
  sessions: SessionsSource;
  /** Retrieves in flight at once. Integer 1..32. Default 4. */
  concurrency?: number;
  /**
   * Times one run tries a session whose retrieve failed with a rate limit, a 5xx, a timeout
   * or a broken connection (each time a full client call with its own retries). Integer
   * 1..10. Default 3.
   */
  maxAttempts?: number;
  /**
   * Longest pause a run makes for Pasis (its `Retry-After`, or the backoff). A rate limit
   * asking for longer ends the run: the rest waits for the next one. Default 60,000 ms.
   */
  maxPauseMs?: number;
  /** Where the summary of each run and its problems go. Default: `defaultLogger`. */
  logger?: PasisLogger;
  /**
   * Receives a `pasis.reconcile.run` span per run and a `pasis.reconcile.check` span per
   * `check()`. Default: the global tracer provider. (The retrieves' spans and metrics go
   * where the `client`'s go, the events' where the `webhooks`'.)
   */
  tracerProvider?: PasisTracerProvider;
  /**
   * Several instances of the app, one share of the work: each run claims its listed
   * sessions here first and retrieves only the ones granted, so each pending session is
   * retrieved about once per `leaseMs` across the fleet. A shared store's lease
   * (`createRedisReconcileLease`, `createPostgresReconcileLease`, `createSqlReconcileLease`),
   * or `createMemoryReconcileLease()` (`@pasis/core/testing`) for reconcilers of one process. `check()` never asks
   * it: a return page wants its answer now. Default: none (every listed session is checked).
   */
  lease?: ReconcileLease;
  /**
   * How long a session granted by `lease` stays taken: keep it about the time between runs,
   * so the fleet asks Pasis about it once per interval, and longer than a run takes (a run
   * claims its share as it starts: past `leaseMs`, another instance may retrieve the rest
   * of a long run too; its handlers still run once). Integer 1..2147483647. Default:
   * `start()`'s `everyMs` for scheduled runs, 60,000 for `run()` called by hand (set it to
   * your cron's interval). Only with `lease`.
   */
  leaseMs?: number;
}

/**
 * Options of `run()`.
 *
 * @example
 * await reconciler.run({ olderThanMs: 5 * 60_000, signal: AbortSignal.timeout(50_000) });
 */
export interface RunOptions {
  /** Only sessions older than this (ms) are asked for. Default 60,000. */
  olderThanMs?: number;
  /**
   * `olderThanMs` under its former name (refused together with it).
   * @deprecated Use `olderThanMs`; this goes in the next minor version.
   */
  olderThan?: number;
  /** Ends the run early, as `stop()` does. Default: none. */
  signal?: AbortSignal;
}

/**
 * Options of `start()`.
 *
 * @example
 * reconciler.start({ everyMs: 60_000, olderThanMs: 60_000 });
 */
export interface StartOptions {
  /** Milliseconds from the end of one run to the start of the next. Default 60,000. */
  everyMs?: number;
  /** Passed to every run: only sessions older than this (ms). Default 60,000. */
  olderThanMs?: number;
  /**
   * `everyMs` under its former name (refused together with it).
   * @deprecated Use `everyMs`; this goes in the next minor version.
   */
  every?: number;
  /**
   * `olderThanMs` under its former name (refused together with it).
   * @deprecated Use `olderThanMs`; this goes in the next minor version.
   */
  olderThan?: number;
}
