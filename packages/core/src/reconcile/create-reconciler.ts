import { CORE_PACKAGE, configError } from '../config.js';
import { errorSummary } from '../logging/format.js';
import { createReconcileTelemetry, traceCheck, traceRun } from '../telemetry/reconcile.js';
import { reconcileRecorder } from '../telemetry/reconcile-metrics.js';
import { type CheckDeps, checkSession } from './check.js';
import { type ReconcilerClock, systemClock, type TimerHandle } from './clock.js';
import { runLeaseMs } from './lease-options.js';
import { resolveReconcilerOptions, resolveRunOptions, resolveStartOptions } from './options.js';
import type { CheckResult, ReconcileSummary } from './results.js';
import { type RunDeps, runOnce } from './run.js';
import { logSummary } from './summary.js';
import type { ReconcilerOptions, RunOptions, StartOptions } from './types.js';

/**
 * The reconciler: asks Pasis (§1b) about the sessions the app still considers open, and
 * runs the ones that have ended through the webhook receiver's handlers.
 *
 * @example
 * reconciler.start({ everyMs: 60_000, olderThanMs: 60_000 });
 * process.on('SIGTERM', () => void reconciler.stop().then(() => process.exit(0)));
 */
export interface Reconciler {
  /**
   * One run now (the cron form): lists the sessions, checks each, resolves with the summary
   * and logs it in one line. A call while a run is in flight joins it (its options are then
   * ignored). Rejects only when the app's `sessions()` fails, or for a bad option.
   */
  run(options?: RunOptions): Promise<ReconcileSummary>;
  /**
   * One session now (a return page): retrieve it and, if it has ended, run its handlers.
   * Concurrent checks of one session share one retrieve. Never rejects.
   */
  check(sessionId: string): Promise<CheckResult>;
  /**
   * Runs every `everyMs` ms (from the end of one run to the start of the next, so runs never
   * overlap and a slow one delays the next), the first `everyMs` ms from now. Timers are
   * unref'd: they never keep the process alive. Throws `config_error` when already started.
   */
  start(options?: StartOptions): void;
  /**
   * Stops the schedule and the run in flight (whoever started it): nothing more is
   * retrieved, retrieves in flight and pauses are aborted (a GET: the next run asks again),
   * handlers already running finish. Resolves once the run has ended. `start()` may be
   * called again afterwards.
   */
  stop(): Promise<void>;
  /** Whether the schedule is on. */
  readonly started: boolean;
  /** Whether a run is in flight. */
  readonly running: boolean;
}

/**
 * Internal constructor behind {@link createReconciler}, with the clock as a seam for
 * deterministic tests. Not exported from the package.
 */
export function createReconcilerWith<Tx>(options: ReconcilerOptions<Tx>, clock: ReconcilerClock): Reconciler {
  const resolved = resolveReconcilerOptions(options as ReconcilerOptions<unknown>);
  const deps: Omit<RunDeps, 'leaseMs'> = { ...resolved, clock };
  const checkDeps: CheckDeps = deps;
  const { logger } = resolved;
  const telemetry = createReconcileTelemetry(resolved.telemetry);
  let current: { promise: Promise<ReconcileSummary>; controller: AbortController } | undefined;
  let schedule: { everyMs: number; olderThanMs: number; timer?: TimerHandle } | undefined;
  const checks = new Map<string, Promise<CheckResult>>();

  function run(runOptions?: RunOptions): Promise<ReconcileSummary> {
    let valid: ReturnType<typeof resolveRunOptions>;
    try {
      valid = resolveRunOptions(runOptions);
    } catch (error) {
      return Promise.reject(error);
    }
    if (current !== undefined) return current.promise;
    const controller = new AbortController();
    const { signal } = valid;
    const onAbort = () => controller.abort(signal?.reason);
    if (signal?.aborted) onAbort();
    else signal?.addEventListener('abort', onAbort, { once: true });
    const leaseMs = runLeaseMs(resolved.leaseMs, schedule?.everyMs);
    const promise = traceRun(telemetry, valid.olderThanMs, () =>
      runOnce({ ...deps, leaseMs }, valid.olderThanMs, controller.signal, reconcileRecorder(telemetry())),
    )
      .then((summary) => {
        logSummary(logger, summary);
        return summary;
      })
      .finally(() => {
        signal?.removeEventListener('abort', onAbort);
        current = undefined;
      });
    current = { promise, controller };
    return promise;
  }

  function arm(s: NonNullable<typeof schedule>) {
    s.timer = clock.setTimer(() => tick(s), s.everyMs);
    s.timer.unref?.();
  }

  function tick(s: NonNullable<typeof schedule>) {
    s.timer = undefined;
    if (schedule !== s) return;
    run({ olderThanMs: s.olderThanMs })
      .catch((error: unknown) => {
        logger.error(
          `Pasis reconcile: the run failed (sessions() threw); the next one runs as scheduled: ${errorSummary(error)}`,
          { error },
        );
      })
      // Armed only once the run has ended: a slow run delays the next tick, never doubles it.
      .finally(() => {
        if (schedule === s) arm(s);
      });
  }

  function check(sessionId: string): Promise<CheckResult> {
    const shared = checks.get(sessionId);
    if (shared !== undefined) return shared;
    const pending = traceCheck(telemetry, sessionId, () => checkSession(checkDeps, sessionId)).finally(() =>
      checks.delete(sessionId),
    );
    checks.set(sessionId, pending);
    return pending;
  }

  return {
    run,
    check,
    start(startOptions) {
      const valid = resolveStartOptions(startOptions);
      if (schedule !== undefined)
        throw configError(CORE_PACKAGE, 'reconciler.start: already started; call stop() first.');
      schedule = { ...valid };
      arm(schedule);
    },
    async stop() {
      const s = schedule;
      schedule = undefined;
      if (s?.timer !== undefined) clock.clearTimer(s.timer);
      const inFlight = current;
      if (inFlight === undefined) return;
      inFlight.controller.abort();
      // The run's own failure (sessions() threw) is its caller's to see; stop() only waits.
      await inFlight.promise.catch(() => {});
    },
    get started() {
      return schedule !== undefined;
    },
    get running() {
      return current !== undefined;
    },
  };
}

/**
 * Creates a reconciler: for each session the app still considers open (`sessions`), it asks
 * Pasis (§1b) and, for each that has ended, runs the **same handlers as a webhook**
 * (`webhooks.receive`, with `ctx.source === 'reconcile'`, `ctx.deliveryId ===
 * 'reconcile:<session_id>'`, `ctx.confirmed === true`), with an event built from Pasis's
 * answer alone.
 *
 * Guaranteed: per session outcome, at most one successful run of the handlers across the
 * webhook, the return page (`check`) and the reconciler, because all three claim the same
 * dedupe key (`session:processed/<id>/<status>`) in the receiver's store, for as long as
 * the store remembers it (`doneTtlMs`, 7 days by default), and across processes when they
 * share a store (`@pasis/redis`, `@pasis/postgres`). Not guaranteed: after the store forgot
 * the key; across processes with the memory store (each has its own); and a handler that
 * fails is run again (by the next webhook retry, check or run): handlers must be safe to
 * retry after a failure, as for any webhook.
 *
 * Pace: retrieves are spaced evenly at a rate that a 429 cuts (below what Pasis accepted,
 * after its `Retry-After`) and successes raise again, up to `maxRequestsPerSecond`; a
 * session Pasis keeps refusing is `deferred` to the next run, never failed. Sessions are
 * read a page (`pageSize`) at a time: memory holds about two pages, whatever the backlog.
 *
 * Several instances of one app share the work through a `lease` on a store they all reach:
 * each pending session is then retrieved about once per `leaseMs` across the fleet.
 *
 * Defaults: `concurrency` 4, `maxRequestsPerSecond` none, `pageSize` 500, `maxAttempts` 3,
 * `maxPauseMs` 60000, `logger` `defaultLogger`, `tracerProvider` and `meterProvider` the
 * global ones, `lease` none, `leaseMs` `start()`'s `everyMs` (60000 for a `run()` while not
 * started);
 * `run({ olderThanMs })` 60000; `start({ everyMs, olderThanMs })` 60000 each.
 *
 * @example
 * const reconciler = createReconciler({
 *   client: pasis,
 *   webhooks,
 *   sessions: ({ before }) => db.pendingOrders({ createdBefore: before }), // [{ session_id }, …]
 * });
 * reconciler.start({ everyMs: 60_000, olderThanMs: 60_000 });
 */
export function createReconciler<Tx = undefined>(options: ReconcilerOptions<Tx>): Reconciler {
  return createReconcilerWith(options, systemClock);
}
