/**
 * One reconcile run: list the app's open sessions, check each with bounded concurrency,
 * pause the whole run when Pasis pushes back (429, 5xx, timeouts), retry those sessions
 * later in the same run a bounded number of times, and count everything in a summary.
 */

import { CORE_PACKAGE, configError } from '../config.js';
import { isPasisError, type PasisError } from '../errors.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { isPromiseLike } from '../util/is-promise-like.js';
import { type CheckDeps, checkSession } from './check.js';
import { pause, type ReconcilerClock } from './clock.js';
import { takeShare } from './lease-share.js';
import type { ResolvedReconcilerOptions } from './options.js';
import type { CheckResult, ReconcileSummary } from './results.js';
import { SummaryBuilder } from './summary.js';
import type { SessionRef, SessionsQuery } from './types.js';

/** First pause after a failed retrieve; it doubles with each attempt of the session. */
export const RECONCILE_BACKOFF_BASE_MS = 1_000;
/** Longest backoff pause (a `Retry-After` may ask for more, up to `maxPauseMs`). */
export const RECONCILE_BACKOFF_CAP_MS = 30_000;

/** Everything a run needs. */
export interface RunDeps extends CheckDeps, ResolvedReconcilerOptions {
  clock: ReconcilerClock;
  /** This run's `leaseMs` (the option, else the schedule's `everyMs`, else 60 s). */
  leaseMs: number;
}

/**
 * The pause before attempt `attempt + 1` of a session: exponential, with equal jitter (half
 * fixed, half random), so that it is never zero and retries of several runs spread out.
 */
export function reconcileBackoff(attempt: number, random: () => number): number {
  const ceiling = Math.min(RECONCILE_BACKOFF_CAP_MS, RECONCILE_BACKOFF_BASE_MS * 2 ** (attempt - 1));
  return Math.floor(ceiling / 2 + (random() * ceiling) / 2);
}

// What Pasis may answer differently a moment later. Everything else about one session
// (a malformed answer, a bad id, a handler that threw) waits for the next run.
function isTransient(error: PasisError): boolean {
  if (isPasisError(error, 'rate_limited', 'timeout', 'connection_error')) return true;
  const status = error.status ?? 0;
  return error.code === 'api_error' && (status >= 500 || status === 408 || status === 429);
}

// Errors about the app's setup, not about one session: every other session would fail alike.
const isSetupError = (error: PasisError) => isPasisError(error, 'unknown_app', 'config_error');

function idOf(ref: unknown): string | undefined {
  if (typeof ref === 'string') return ref;
  return isPlainObject(ref) && typeof ref.session_id === 'string' ? ref.session_id : undefined;
}

async function listSessions(
  deps: RunDeps,
  query: SessionsQuery,
): Promise<{ ids: string[]; invalid: number }> {
  let listed: unknown = deps.sessions(query);
  if (isPromiseLike(listed)) listed = await listed;
  const ids = new Set<string>();
  let invalid = 0;
  const add = (ref: SessionRef) => {
    const id = idOf(ref);
    if (id === undefined) invalid++;
    else ids.add(id);
  };
  const source = listed as Partial<AsyncIterable<SessionRef> & Iterable<SessionRef>> | null;
  if (typeof source?.[Symbol.asyncIterator] === 'function') {
    for await (const ref of source as AsyncIterable<SessionRef>) {
      if (query.signal.aborted) break;
      add(ref);
    }
  } else if (typeof listed !== 'string' && typeof source?.[Symbol.iterator] === 'function') {
    for (const ref of source as Iterable<SessionRef>) add(ref);
  } else {
    throw configError(
      CORE_PACKAGE,
      'createReconciler: sessions() must return an array or an iterable of session ids or { session_id } objects (or a promise of one).',
    );
  }
  return { ids: [...ids], invalid };
}

/**
 * Runs once. Resolves with the summary; rejects only when the app's `sessions()` throws
 * or returns something that is not a list.
 */
export async function runOnce(
  deps: RunDeps,
  olderThanMs: number,
  signal: AbortSignal,
): Promise<ReconcileSummary> {
  const { clock, logger } = deps;
  const startedAt = clock.now();
  const summary = new SummaryBuilder(startedAt);
  const { ids, invalid } = await listSessions(deps, {
    olderThanMs,
    olderThan: olderThanMs, // the deprecated name, for a sessions() written against it
    before: new Date(startedAt - olderThanMs),
    signal,
  });
  summary.summary.listed = ids.length + invalid;
  if (invalid > 0) {
    summary.summary.failed += invalid;
    logger.warn(
      `Pasis reconcile: sessions() returned ${invalid} entries that are neither ids nor { session_id }`,
    );
  }
  // A fleet shares the work: with a lease, only this instance's share is checked.
  const share = await takeShare(deps, ids, signal);
  summary.summary.heldElsewhere = share.heldElsewhere;
  summary.summary.skipped += share.skipped;
  const queue = share.ids.map((id) => ({ id, attempt: 1 }));
  let pausedUntil = 0;
  let endedEarly: ReconcileSummary['endedEarly'];

  const settle = (item: { id: string; attempt: number }, result: CheckResult) => {
    if (result.outcome !== 'failed') {
      if (result.outcome === 'unknown')
        logger.debug('Pasis reconcile: unknown session', { sessionId: item.id });
      return summary.count(result.outcome, item.id, true);
    }
    const { error } = result;
    if (signal.aborted && isPasisError(error, 'aborted')) return void summary.summary.skipped++;
    const wait = error.retryAfterMs;
    if (isSetupError(error)) endedEarly = 'setup_error';
    else if (isPasisError(error, 'rate_limited') && wait !== undefined && wait > deps.maxPauseMs) {
      endedEarly = 'rate_limited';
    } else if (isTransient(error) && item.attempt < deps.maxAttempts) {
      const delay = Math.min(wait ?? reconcileBackoff(item.attempt, clock.random), deps.maxPauseMs);
      pausedUntil = Math.max(pausedUntil, clock.now() + delay);
      queue.push({ id: item.id, attempt: item.attempt + 1 });
      summary.summary.retries++;
      logger.debug(`Pasis reconcile: ${error.code}; pausing ${delay} ms, then retrying`, {
        sessionId: item.id,
      });
      return;
    }
    logger.debug(`Pasis reconcile: session failed (${error.code})`, { sessionId: item.id });
    summary.count('failed', item.id, result.session !== undefined, error);
  };

  const worker = async () => {
    // Bounded: each pass takes one item off the queue, and an item returns at most
    // maxAttempts - 1 times; pauses end at the latest when the signal aborts.
    for (;;) {
      while (!signal.aborted && endedEarly === undefined && clock.now() < pausedUntil) {
        await pause(clock, pausedUntil - clock.now(), signal);
      }
      if (signal.aborted || endedEarly !== undefined) return;
      const item = queue.shift();
      if (item === undefined) return;
      settle(item, await checkSession(deps, item.id, signal));
    }
  };
  await Promise.all(Array.from({ length: Math.min(deps.concurrency, queue.length) }, worker));

  summary.summary.skipped += queue.length;
  if (endedEarly === undefined && signal.aborted && summary.summary.skipped > 0) endedEarly = 'stopped';
  if (endedEarly !== undefined) summary.summary.endedEarly = endedEarly;
  return summary.finish(clock.now());
}
