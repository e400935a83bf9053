import type { PasisClient } from '../client/create-client.js';
import type { PasisLogger } from '../logging/logger.js';
import type { PasisMeterProvider, PasisTracerProvider } from '../telemetry/source.js';
import type { WebhookReceiver } from '../webhooks/receiver-types.js';
import type { ReconcileLease } from './lease.js';

/** A session the app still considers open: its id, or any object carrying `session_id` (an order row). */
export type SessionRef = string | { readonly session_id: string };

/**
 * What the app's `sessions` is asked for: a function source once per run, a paged source
 * (`{ page }`) once per page, with `after` its cursor.
 *
 * @example
 * sessions: ({ before }) => db.query('select session_id from orders where status = $1 and created_at < $2', ['pending', before])
 * sessions: { page: ({ after, limit, before }) => db.query(
 *   'select session_id from orders where status = $1 and created_at < $2 and session_id > $3 order by session_id limit $4',
 *   ['pending', before, after ?? '', limit]) }
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
  /**
   * For `{ page }`: the last session id of the previous page; `undefined` for the first page
   * (and always for a function source).
   */
  after: string | undefined;
  /**
   * For `{ page }`: at most this many rows are wanted (the reconciler's `pageSize`); fewer
   * means the last page. A function source may ignore it: its list is read a page at a time.
   */
  limit: number;
}

/** The app's list of open sessions: an array or any iterable, sync or async, or a promise of one. */
export type SessionsList = (
  query: SessionsQuery,
) =>
  | Iterable<SessionRef>
  | AsyncIterable<SessionRef>
  | PromiseLike<Iterable<SessionRef> | AsyncIterable<SessionRef>>;

/**
 * The app's open sessions a page at a time: `page` is called with the last session id of
 * the previous page as `after`, until it answers fewer than `limit` rows (or a page whose
 * last id does not move on). Order the rows by session id, so that `after` is a cursor that
 * settled orders leaving the list cannot shift (never an offset).
 *
 * @example
 * sessions: { page: ({ after, limit }) => orders.pendingAfter(after, limit) } // [{ session_id }, …]
 */
export interface PagedSessions {
  page(query: SessionsQuery): Iterable<SessionRef> | PromiseLike<Iterable<SessionRef>>;
}

/**
 * The app's open sessions: a function answering them as a list (consumed as the run goes),
 * or `{ page }` to be read a page at a time by cursor.
 *
 * @example
 * sessions: () => orders.pendingSessionIds()
 */
export type SessionsSource = SessionsList | PagedSessions;

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
  /**
   * The sessions the app still considers open (the app owns its orders): a function
   * returning a list (consumed as the run goes, never copied whole), or `{ page }` for a
   * source read a page at a time with a cursor ({@link PagedSessions}).
   */
  sessions: SessionsSource;
  /**
   * Retrieves in flight at once: the bound under the pace. Size it as the pace times the
   * slowest retrieve you expect (100/s × 50 ms = 5). Integer 1..32. Default 4.
   */
  concurrency?: number;
  /**
   * Ceiling of the pace, in retrieves per second (a number ≥ 0.1): set it to Pasis's limit
   * for your app, or lower to leave room for checkouts. A 429 cuts the pace below what Pasis
   * accepted and pauses for its `Retry-After`; successes bring it back to 95% of that, then
   * up slowly, never past this. Default: none (the pace starts bound by `concurrency` only,
   * and finds the limit at the first 429).
   */
  maxRequestsPerSecond?: number;
  /**
   * Sessions read at a time: the `limit` a paged source is asked for, how far a run reads
   * ahead of its retrieves (memory holds about two pages), and how often it logs progress
   * (one line per page). Integer 1..10,000. Default 500.
   */
  pageSize?: number;
  /**
   * Times one run tries a session whose retrieve failed with a 5xx, a timeout or a broken
   * connection (each time one request: within a run the client's own retries are off, so
   * that the reconciler sees every rate limit itself). Rate limits do not count: a session
   * refused again and again is `deferred` to the next run, never failed. Integer 1..10.
   * Default 3.
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
   * so the fleet asks Pasis about it once per interval, and longer than a page takes to
   * drain (a run claims its share a page, `pageSize`, at a time as it reads: past `leaseMs`,
   * another instance may retrieve some of a slow page too; its handlers still run once). Integer 1..2147483647. Default:
   * `start()`'s `everyMs` for scheduled runs, 60,000 for `run()` called by hand (set it to
   * your cron's interval). Only with `lease`.
   */
  leaseMs?: number;
  /**
   * Receives `pasis.reconcile.sessions` (by outcome), `pasis.reconcile.requests` (accepted,
   * refused) and the gauge `pasis.reconcile.pace` (retrieves per second, per page).
   * Default: the global meter provider.
   */
  meterProvider?: PasisMeterProvider;
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
