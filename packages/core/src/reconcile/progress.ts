/**
 * A run's progress, once per page read: one info line (counts so far, the pace) and the
 * pace gauge. Counts only; never a session id past the first page's debug lines.
 */
import type { PasisLogger } from '../logging/logger.js';
import type { ReconcileRecorder } from '../telemetry/reconcile-metrics.js';
import type { ReconcileSummary } from './results.js';

/** The pace as a summary and a log line say it: rounded to 0.1/s, `null` when unbounded. */
export function paceOf(rate: number): number | null {
  return Number.isFinite(rate) ? Math.round(rate * 10) / 10 : null;
}

/**
 * Logs the progress line of page `page` (from 1) and records the pace. The first page's line
 * is debug: a run of one page is said by its summary line alone, every minute.
 *
 * @example
 * logPage(logger, record, 3, summary.summary, pacer.rate);
 * // Pasis reconcile: page 3 read, 1500 listed so far: 912 checked, 610 handled, 3 refused (429); pace 95.2/s
 */
export function logPage(
  logger: PasisLogger,
  record: ReconcileRecorder,
  page: number,
  s: ReconcileSummary,
  rate: number,
): void {
  const pace = paceOf(rate);
  record.pace(rate);
  const paceText = pace === null ? 'unpaced' : `pace ${pace}/s`;
  const log = page === 1 ? logger.debug : logger.info;
  log.call(
    logger,
    `Pasis reconcile: page ${page} read, ${s.listed} listed so far: ${s.checked} checked, ${s.handled} handled, ${s.failed} failed, ${s.deferred} deferred, ${s.refused} refused (429); ${paceText}`,
    {
      page,
      listed: s.listed,
      checked: s.checked,
      handled: s.handled,
      failed: s.failed,
      deferred: s.deferred,
      refused: s.refused,
      pace,
    },
  );
}
