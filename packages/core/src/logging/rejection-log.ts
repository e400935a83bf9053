/**
 * The receiver's line for a rejected delivery: at `warn`, with the code, the outcome and
 * the delivery id as fields, and rate-limited per receiver, so that a burst of forgeries
 * (anyone can POST to a webhook URL) costs a bounded number of lines: the first
 * {@link REJECTION_LOG_LIMIT} per minute, then one summary per minute with the count of
 * each code held back.
 */

import { describeCounts, LogWindow } from './log-window.js';
import type { PasisLogger } from './logger.js';

/**
 * Rejections logged one by one per window.
 *
 * @example
 * REJECTION_LOG_LIMIT; // 10: then one summary per REJECTION_LOG_WINDOW_MS
 */
export const REJECTION_LOG_LIMIT = 10;
/**
 * The window of {@link REJECTION_LOG_LIMIT}: one minute.
 *
 * @example
 * REJECTION_LOG_WINDOW_MS / 1000; // 60 seconds
 */
export const REJECTION_LOG_WINDOW_MS = 60_000;

/**
 * Logs one rejection, or counts it for the window's summary. `reason` is why this delivery
 * was refused (which header, which field), when the refusal said: the answer carries only
 * its code's one message.
 */
export type RejectionLog = (
  log: PasisLogger,
  code: string,
  deliveryId: string | undefined,
  reason?: string,
) => void;

/**
 * One receiver's rejection log. `now` is the receiver's clock; `setTimer` a seam for tests.
 *
 * @example
 * const rejected = createRejectionLog(Date.now, logger);
 * rejected(logger, 'no_matching_signature', 'msg_1'); // warn 'Pasis webhook rejected: no_matching_signature'
 */
export function createRejectionLog(
  now: () => number,
  fallback: PasisLogger,
  setTimer?: (fn: () => void, ms: number) => unknown,
): RejectionLog {
  // The summary goes where the last rejection would have gone (a framework's request logger).
  let last = fallback;
  const window = new LogWindow({
    limit: REJECTION_LOG_LIMIT,
    windowMs: REJECTION_LOG_WINDOW_MS,
    now,
    setTimer,
    summarize: (held, byKey) => {
      last.warn(
        `Pasis webhook: ${held} more rejected deliveries within ${REJECTION_LOG_WINDOW_MS / 1000} s were not logged one by one (${describeCounts(byKey)})`,
        { suppressed: held, codes: Object.fromEntries(byKey), windowMs: REJECTION_LOG_WINDOW_MS },
      );
    },
  });
  return (log, code, deliveryId, reason) => {
    last = log;
    if (!window.admit(code)) return;
    const fields: Record<string, unknown> = { code, outcome: code };
    if (deliveryId !== undefined) fields.deliveryId = deliveryId;
    if (reason !== undefined) fields.reason = reason;
    log.warn(`Pasis webhook rejected: ${code}`, fields);
  };
}
