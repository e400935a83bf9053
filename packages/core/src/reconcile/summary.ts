/** A run's summary: counted as sessions are checked, logged once at the end. */
import type { PasisError } from '../errors.js';
import type { PasisLogger } from '../logging/logger.js';
import type { CheckOutcome, ReconcileSummary } from './results.js';

/** Failures and unknown sessions listed by name in a summary; the counts are always complete. */
export const MAX_LISTED_IN_SUMMARY = 20;

type Count = 'handled' | 'duplicate' | 'ignored' | 'stillOpen' | 'unknown' | 'inProgress' | 'failed';

const COUNT_OF: Record<CheckOutcome, Count> = {
  handled: 'handled',
  duplicate: 'duplicate',
  ignored: 'ignored',
  open: 'stillOpen',
  unknown: 'unknown',
  in_progress: 'inProgress',
  failed: 'failed',
};

/** A summary being filled in by one run. */
export class SummaryBuilder {
  readonly summary: ReconcileSummary;
  readonly #started: number;

  constructor(startedAt: number) {
    this.#started = startedAt;
    this.summary = {
      startedAt: new Date(startedAt),
      durationMs: 0,
      listed: 0,
      checked: 0,
      handled: 0,
      settled: 0,
      duplicate: 0,
      ignored: 0,
      stillOpen: 0,
      unknown: 0,
      inProgress: 0,
      failed: 0,
      skipped: 0,
      heldElsewhere: 0,
      deferred: 0,
      refused: 0,
      retries: 0,
      pace: null,
      failures: [],
      unknownSessions: [],
    };
  }

  /** Counts the final outcome of one session (`answered`: Pasis told us something about it). */
  count(outcome: CheckOutcome, sessionId: string, answered: boolean, error?: PasisError): void {
    const s = this.summary;
    s[COUNT_OF[outcome]]++;
    if (outcome === 'handled') s.settled = s.handled; // the deprecated name, kept equal
    if (answered) s.checked++;
    if (outcome === 'unknown' && s.unknownSessions.length < MAX_LISTED_IN_SUMMARY)
      s.unknownSessions.push(sessionId);
    if (error !== undefined && s.failures.length < MAX_LISTED_IN_SUMMARY) {
      s.failures.push({ sessionId, code: error.code, message: error.message });
    }
  }

  /** Counts a session left for the next run because Pasis kept refusing (rate limits). */
  defer(): void {
    this.summary.deferred++;
  }

  /** Freezes the duration and returns the summary. */
  finish(now: number): ReconcileSummary {
    this.summary.durationMs = Math.max(0, now - this.#started);
    return this.summary;
  }
}

/**
 * Logs one line per run: info when all went well (or it was stopped), warn when a session
 * failed or is unknown to Pasis, or the run ended early on its own. Session ids and codes
 * only; never a body.
 */
export function logSummary(logger: PasisLogger, s: ReconcileSummary): void {
  const parts = [
    `${s.listed} listed`,
    `${s.handled} handled`,
    `${s.duplicate} duplicate`,
    `${s.stillOpen} still open`,
    `${s.unknown} unknown`,
    `${s.inProgress} in progress`,
    `${s.failed} failed`,
  ];
  if (s.ignored > 0) parts.push(`${s.ignored} ignored`);
  if (s.skipped > 0) parts.push(`${s.skipped} skipped`);
  if (s.heldElsewhere > 0) parts.push(`${s.heldElsewhere} held elsewhere`);
  if (s.deferred > 0) parts.push(`${s.deferred} deferred`);
  if (s.refused > 0) parts.push(`${s.refused} retrieves refused (429)`);
  const early = s.endedEarly === undefined ? '' : ` (ended early: ${s.endedEarly})`;
  const line = `Pasis reconcile: ${parts.join(', ')} in ${s.durationMs} ms${early}`;
  // The deprecated `settled` stays out of the line: `handled` says it.
  const { settled: _settled, ...counts } = s;
  const meta = { ...counts, startedAt: s.startedAt.toISOString() };
  const trouble = s.endedEarly !== undefined && s.endedEarly !== 'stopped';
  if (s.failed > 0 || s.unknown > 0 || trouble) logger.warn(line, meta);
  else logger.info(line, meta);
}
