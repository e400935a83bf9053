import type { DeliveryAttempt } from '../model.js';

/**
 * How many retries the current round has used: the `retry` attempts since the last attempt
 * that started a round (`first`, `duplicate` or `redeliver`). Derived from the recorded
 * attempts, so a restarted sandbox continues the schedule where it stood.
 *
 * @example
 * retriesInRound([{ reason: 'first' }, { reason: 'retry' }] as DeliveryAttempt[]); // 1
 */
export function retriesInRound(attempts: readonly Pick<DeliveryAttempt, 'attempt' | 'reason'>[]): number {
  const ordered = [...attempts].sort((a, b) => a.attempt - b.attempt);
  let retries = 0;
  for (let i = ordered.length - 1; i >= 0 && ordered[i]!.reason === 'retry'; i--) retries++;
  return retries;
}
