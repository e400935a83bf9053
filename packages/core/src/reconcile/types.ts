import type { PasisClient } from '../client/create-client.js';
import type { CheckoutSessionStatus, RetrievedCheckoutSession } from '../client/retrieved-session.js';
import type { PasisError, PasisErrorCode } from '../errors.js';
import type { PasisLogger } from '../logging/logger.js';
import type { PasisTracerProvider } from '../telemetry/source.js';
import type { WebhookReceiver } from '../webhooks/receiver-types.js';

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

/**
 * What checking one session came to, in the receiver's words where they meet:
 * `handled` (it had ended and the handlers ran now), `duplicate` (it had ended and was
 * already handled, e.g. by its webhook), `ignored` (it had ended and no handler listens),
 * `open` (not finished yet), `unknown` (Pasis does not know it), `in_progress` (its webhook
 * is being handled right now), `failed` (Pasis could not be asked, or a handler or the
 * store failed: tried again by a later check).
 */
export type CheckOutcome =
  | 'handled'
  | 'duplicate'
  | 'ignored'
  | 'open'
  | 'unknown'
  | 'in_progress'
  | 'failed';

/**
 * The result of `check()` (and of each session of a run). Never a rejection.
 *
 * @example
 * const result = await reconciler.check(req.query.session_id);
 * if (result.outcome === 'open') return res.render('waiting');
 */
export type CheckResult =
  | {
      outcome: 'handled' | 'duplicate' | 'ignored' | 'in_progress';
      sessionId: string;
      status: 'success' | 'cancelled';
      session: RetrievedCheckoutSession;
    }
  | { outcome: 'open'; sessionId: string; status: 'open'; session: RetrievedCheckoutSession }
  | { outcome: 'unknown'; sessionId: string; status?: undefined; session?: undefined }
  | {
      outcome: 'failed';
      sessionId: string;
      /** Known when Pasis answered and the handlers or the store failed. */
      status?: CheckoutSessionStatus;
      session?: RetrievedCheckoutSession;
      /** Why: the retrieve's error, or the receive's code (`handler_failed`, `store_unavailable`). */
      error: PasisError;
    };

/** One session a run could not settle, for the summary (its code and the SDK's message). */
export interface ReconcileFailure {
  sessionId: string;
  code: PasisErrorCode;
  message: string;
}

/**
 * What one run found and did. The outcome counts partition `listed`:
 * `listed = handled + duplicate + ignored + stillOpen + unknown + inProgress + failed + skipped`.
 *
 * @example
 * const summary = await reconciler.run();
 * process.exitCode = summary.failed > 0 ? 1 : 0;
 */
export interface ReconcileSummary {
  startedAt: Date;
  durationMs: number;
  /** Distinct sessions the app listed. */
  listed: number;
  /** Sessions Pasis answered about (a status, or `unknown_session`). */
  checked: number;
  /** Sessions that had ended and whose handlers ran in this run. */
  handled: number;
  /**
   * `handled`, under its former name.
   * @deprecated Read `handled`; this goes in the next minor version.
   */
  settled: number;
  duplicate: number;
  ignored: number;
  stillOpen: number;
  unknown: number;
  inProgress: number;
  failed: number;
  /** Not checked: the run was stopped, or ended early (a long rate limit, a setup error). */
  skipped: number;
  /** Retrieves repeated within this run after a rate limit or a failure. */
  retries: number;
  /** Why the run ended before checking every session, when it did. */
  endedEarly?: 'stopped' | 'rate_limited' | 'setup_error';
  /** The first 20 failures. */
  failures: ReconcileFailure[];
  /** The first 20 sessions Pasis does not know. */
  unknownSessions: string[];
}
