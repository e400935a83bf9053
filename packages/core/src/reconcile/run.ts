/**
 * One reconcile run: read the app's open sessions a page at a time, check each with bounded
 * concurrency at the pacer's rate, slow down and pause when Pasis refuses (429), retry 5xx
 * and timeouts a bounded number of times, and count everything in a summary.
 */

import { isPasisError } from '../errors.js';
import type { ReconcileRecorder } from '../telemetry/reconcile-metrics.js';
import { type CheckDeps, checkSession } from './check.js';
import type { ReconcilerClock } from './clock.js';
import {
  isRefusal,
  isSetupError,
  isTransient,
  RECONCILE_MAX_REFUSALS,
  reconcileBackoff,
} from './failures.js';
import { leaseShares, type ShareSink } from './lease-share.js';
import type { ResolvedReconcilerOptions } from './options.js';
import { Pacer } from './pacer.js';
import { readPages } from './pages.js';
import { logPage, paceOf } from './progress.js';
import type { CheckResult, ReconcileSummary } from './results.js';
import { SummaryBuilder } from './summary.js';
import type { SessionsQuery } from './types.js';
import { Wakeup } from './wakeup.js';

/** Everything a run needs. */
export interface RunDeps extends CheckDeps, ResolvedReconcilerOptions {
  clock: ReconcilerClock;
  /** This run's `leaseMs` (the option, else the schedule's `everyMs`, else 60 s). */
  leaseMs: number;
}

interface Item {
  id: string;
  /** Attempts so far that failed with a 5xx, a timeout or a broken connection, plus one. */
  attempt: number;
  /** Refusals (429) so far. */
  refused: number;
}

/**
 * Runs once. Resolves with the summary; rejects only when the app's `sessions` throws or
 * answers something that is not a list.
 */
export async function runOnce(
  deps: RunDeps,
  olderThanMs: number,
  signal: AbortSignal,
  record: ReconcileRecorder,
): Promise<ReconcileSummary> {
  const { clock, logger } = deps;
  const startedAt = clock.now();
  const summary = new SummaryBuilder(startedAt);
  const s = summary.summary;
  const pacer = new Pacer(clock, deps.maxRequestsPerSecond);
  const queue: Item[] = [];
  const wakeup = new Wakeup(signal);
  let inFlight = 0;
  let reading = true;
  let readFailure: { error: unknown } | undefined;
  let endedEarly: ReconcileSummary['endedEarly'];
  const over = () => signal.aborted || endedEarly !== undefined || readFailure !== undefined;
  const query: SessionsQuery = {
    olderThanMs,
    olderThan: olderThanMs, // the deprecated name, for a sessions() written against it
    before: new Date(startedAt - olderThanMs),
    signal,
    after: undefined, // a paged source's cursor, moved page by page (pages.ts)
    limit: deps.pageSize,
  };

  // A fleet shares the work: with a lease, only this instance's share of a page is checked.
  const shares = leaseShares(deps, signal);
  const enqueue = (ids: readonly string[]) => {
    for (const id of ids) queue.push({ id, attempt: 1, refused: 0 });
  };
  // Waits until the queue holds at most `n`; false once the run is over.
  const room = async (n: number) => {
    while (!over() && queue.length > n) await wakeup.wait();
    return !over();
  };
  const sink: ShareSink = {
    pace: () => (Number.isFinite(pacer.rate) ? pacer.rate : pacer.acceptedLastSecond),
    add: (share) => {
      s.heldElsewhere += share.heldElsewhere;
      s.skipped += share.skipped;
      if (share.skipped > 0) record.session('skipped', share.skipped);
      enqueue(share.ids);
      wakeup.notify();
    },
    room,
  };
  const read = async () => {
    let page = 0;
    try {
      for await (const { ids, invalid } of readPages(deps.sessions, query, deps.pageSize)) {
        // The one place a page of ids enters the run; the fleet's lease filters it here,
        // chunk by chunk before anything is retrieved, so that instances split a backlog.
        page++;
        s.listed += ids.length + invalid;
        if (invalid > 0) {
          s.failed += invalid;
          record.session('failed', invalid);
          logger.warn(
            `Pasis reconcile: sessions returned ${invalid} entries that are neither ids nor { session_id }`,
          );
        }
        logPage(logger, record, page, s, pacer.rate);
        const unclaimed = await shares.feed(ids, sink);
        // Never claimed, the run being over: counted with the queue's rest (skipped or deferred).
        enqueue(unclaimed);
        // Read ahead at most about a page: memory holds what is queued, not the backlog.
        if (!(await room(deps.pageSize / 2))) break;
      }
    } catch (error) {
      readFailure = { error };
    } finally {
      reading = false;
      shares.finish();
      wakeup.notify();
    }
  };

  const count = (item: Item, result: CheckResult) => {
    const answered = result.outcome !== 'failed' || result.session !== undefined;
    summary.count(result.outcome, item.id, answered, result.outcome === 'failed' ? result.error : undefined);
    record.session(result.outcome);
  };
  const defer = (item: Item) => {
    summary.defer();
    record.session('deferred');
    logger.debug('Pasis reconcile: session deferred to the next run (rate limited)', { sessionId: item.id });
  };

  const settle = (item: Item, result: CheckResult, sentAt: number) => {
    if (result.outcome !== 'failed' || result.session !== undefined) {
      pacer.accepted();
      record.request('accepted');
      if (result.outcome === 'unknown')
        logger.debug('Pasis reconcile: unknown session', { sessionId: item.id });
      return count(item, result);
    }
    const { error } = result;
    if (isRefusal(error)) {
      s.refused++;
      record.request('refused');
      const wait = error.retryAfterMs;
      if (wait !== undefined && wait > deps.maxPauseMs) {
        endedEarly = 'rate_limited';
        return defer(item);
      }
      pacer.refused(sentAt, wait);
      if (item.refused + 1 >= RECONCILE_MAX_REFUSALS) return defer(item);
      // First in line once the pause ends: a refused session is not sent to the back.
      queue.unshift({ ...item, refused: item.refused + 1 });
      s.retries++;
      logger.debug(`Pasis reconcile: rate limited; pace now ${paceOf(pacer.rate)}/s`, { sessionId: item.id });
      return;
    }
    record.request('failed');
    if (signal.aborted && isPasisError(error, 'aborted')) {
      s.skipped++;
      return record.session('skipped');
    }
    if (isSetupError(error)) endedEarly = 'setup_error';
    else if (isTransient(error) && item.attempt < deps.maxAttempts) {
      const delay = Math.min(
        error.retryAfterMs ?? reconcileBackoff(item.attempt, clock.random),
        deps.maxPauseMs,
      );
      pacer.pause(delay);
      queue.push({ ...item, attempt: item.attempt + 1 });
      s.retries++;
      logger.debug(`Pasis reconcile: ${error.code}; pausing ${delay} ms, then retrying`, {
        sessionId: item.id,
      });
      return;
    }
    logger.debug(`Pasis reconcile: session failed (${error.code})`, { sessionId: item.id });
    count(item, result);
  };

  // The next session to check, or undefined when the run is over: nothing queued, nothing
  // left to read, and no retrieve in flight that could queue a retry.
  const next = async (): Promise<Item | undefined> => {
    // Bounded: every wait ends on a notify (a page read, a retrieve settled, the end of
    // reading) or on the abort, and the run's work is finite.
    while (!over()) {
      const item = queue.shift();
      if (item !== undefined) return item;
      if (!reading && inFlight === 0) return undefined;
      await wakeup.wait();
    }
    return undefined;
  };

  const worker = async () => {
    for (let item = await next(); item !== undefined; item = await next()) {
      inFlight++;
      await pacer.take(signal);
      if (over()) {
        queue.unshift(item);
      } else {
        const sentAt = clock.now();
        settle(item, await checkSession(deps, item.id, signal, 0), sentAt);
      }
      inFlight--;
      wakeup.notify(); // a retry queued, room for a page, or the last retrieve done
    }
  };

  await Promise.all([read(), ...Array.from({ length: deps.concurrency }, worker)]);
  wakeup.close();
  if (readFailure !== undefined) throw readFailure.error;
  // Left in the queue: deferred when Pasis asked for too long a pause, else skipped (stopped).
  if (endedEarly === 'rate_limited') for (const item of queue.splice(0)) defer(item);
  s.skipped += queue.length;
  if (queue.length > 0) record.session('skipped', queue.length);
  if (endedEarly === undefined && signal.aborted && s.skipped > 0) endedEarly = 'stopped';
  if (endedEarly !== undefined) s.endedEarly = endedEarly;
  s.pace = paceOf(pacer.rate);
  return summary.finish(clock.now());
}
