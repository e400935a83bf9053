/**
 * The receiver's error lines (a handler that threw, a store that failed): each with its cause,
 * and bounded, since one broken dependency fails every delivery. Per receiver and per window,
 * the first {@link FAILURE_LOG_PER_KIND} lines of one failure (the same kind of event and the
 * same error message) and at most {@link FAILURE_LOG_LIMIT} lines in all are written; the rest
 * are counted, and one summary per window says how many of each were held back.
 */

import { errorSummary } from './format.js';
import { describeCounts, LogWindow } from './log-window.js';
import type { PasisLogger } from './logger.js';

/**
 * Failure lines written one by one per window, whatever the failures.
 *
 * @example
 * FAILURE_LOG_LIMIT; // 20 per FAILURE_LOG_WINDOW_MS, then one summary
 */
export const FAILURE_LOG_LIMIT = 20;
/**
 * Lines of one same failure written per window.
 *
 * @example
 * FAILURE_LOG_PER_KIND; // 3: the 4th `session:processed` handler failure with the same message is counted
 */
export const FAILURE_LOG_PER_KIND = 3;
/**
 * The window of the failure log: one minute.
 *
 * @example
 * FAILURE_LOG_WINDOW_MS / 1000; // 60 seconds
 */
export const FAILURE_LOG_WINDOW_MS = 60_000;

/**
 * Writes one failure at `error` level with its fields (`error` among them), or counts it.
 * `what` names the failing step (`'handler'`, `'store'`): with the error's first line it is
 * what makes two failures "the same".
 */
export type FailureLog = (
  log: PasisLogger,
  message: string,
  fields: Record<string, unknown> & { error: unknown },
  what: string,
) => void;

/**
 * One receiver's failure log. `now` is the receiver's clock; `setTimer` a seam for tests.
 *
 * @example
 * const failed = createFailureLog(Date.now);
 * failed(logger, 'Pasis webhook: the session:processed handler failed: Error: boom', { deliveryId, error }, 'handler');
 */
export function createFailureLog(
  now: () => number,
  setTimer?: (fn: () => void, ms: number) => unknown,
): FailureLog {
  // The summary goes where the last failure would have gone (a framework's request logger).
  let last: PasisLogger | undefined;
  const window = new LogWindow({
    limit: FAILURE_LOG_LIMIT,
    perKeyLimit: FAILURE_LOG_PER_KIND,
    windowMs: FAILURE_LOG_WINDOW_MS,
    now,
    setTimer,
    summarize: (held, byKey) => {
      last?.error(
        `Pasis: ${held} more failures within ${FAILURE_LOG_WINDOW_MS / 1000} s were not logged one by one (${describeCounts(byKey)})`,
        { suppressed: held, failures: Object.fromEntries(byKey), windowMs: FAILURE_LOG_WINDOW_MS },
      );
    },
  });
  return (log, message, fields, what) => {
    last = log;
    const kind = typeof fields.kind === 'string' ? ` ${fields.kind}` : '';
    if (window.admit(`${what}${kind}: ${errorSummary(fields.error)}`)) log.error(message, fields);
  };
}
