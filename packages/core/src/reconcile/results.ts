/** What the reconciler answers: one session's check, and one run's summary. */
import type { CheckoutSessionStatus, RetrievedCheckoutSession } from '../client/retrieved-session.js';
import type { PasisError, PasisErrorCode } from '../errors.js';

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
 * `listed = handled + duplicate + ignored + stillOpen + unknown + inProgress + failed + skipped +
 * deferred + heldElsewhere`.
 *
 * @example
 * const summary = await reconciler.run();
 * process.exitCode = summary.failed > 0 ? 1 : 0;
 */
export interface ReconcileSummary {
  startedAt: Date;
  durationMs: number;
  /**
   * Distinct sessions the app listed (read as the run goes: a run that ends early has not
   * read the rest; repeats are dropped within the last two pages).
   */
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
  /**
   * Not checked: another instance of the fleet (or an earlier run) holds their lease
   * (`lease`); always 0 without one.
   */
  heldElsewhere: number;
  /** Not checked: the run was stopped, ended early on a setup error, or the lease failed. */
  skipped: number;
  /**
   * Not checked because Pasis kept refusing (429), or asked for a pause longer than
   * `maxPauseMs`: left for the next run, never counted failed.
   */
  deferred: number;
  /** Retrieves Pasis refused with a rate limit (429) in this run. */
  refused: number;
  /** Retrieves repeated within this run after a rate limit or a failure. */
  retries: number;
  /**
   * The pace at the end of the run, in retrieves per second; `null` when nothing bounded it
   * (no `maxRequestsPerSecond` and no 429).
   */
  pace: number | null;
  /** Why the run ended before checking every session, when it did. */
  endedEarly?: 'stopped' | 'rate_limited' | 'setup_error';
  /** The first 20 failures. */
  failures: ReconcileFailure[];
  /** The first 20 sessions Pasis does not know. */
  unknownSessions: string[];
}
