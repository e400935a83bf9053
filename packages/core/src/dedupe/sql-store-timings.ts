import { configError } from '../config.js';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import { DEFAULT_DONE_TTL_MS } from './store.js';

// The timing options every store that writes its record in the merchant's transaction takes
// (@pasis/postgres, @pasis/sql): one set of names, defaults and bounds, so that moving from
// one to the other changes nothing but the package.

/** Default of a transactional store's `lockTimeoutMs`: 5,000 ms. */
export const DEFAULT_LOCK_TIMEOUT_MS = 5_000;
/** Default of a transactional store's `commandTimeoutMs`: 5,000 ms. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 5_000;
/** Default of a transactional store's `pruneIntervalMs`: 60,000 ms. */
export const DEFAULT_PRUNE_INTERVAL_MS = 60_000;
/** Default of a transactional store's `pruneBatchSize`: 500 keys. */
export const DEFAULT_PRUNE_BATCH_SIZE = 500;

/**
 * The timing options of a transactional store, as its user passes them (each documented on
 * the store's own options).
 *
 * @example
 * const timings: StoreTimingOptions = { lockTimeoutMs: 2_000, pruneIntervalMs: 0 };
 */
export interface StoreTimingOptions {
  lockTimeoutMs?: number;
  commandTimeoutMs?: number;
  retentionMs?: number;
  pruneIntervalMs?: number;
  pruneBatchSize?: number;
}

/** {@link StoreTimingOptions} with the defaults applied, validated. */
export type ResolvedStoreTimings = Required<StoreTimingOptions>;

/**
 * An integer option from `min` to `max`, or a `config_error` naming the package and the option.
 *
 * @example
 * integerOption('@pasis/sql', 'batchSize', options.batchSize ?? 100, 1, 10_000);
 */
export function integerOption(
  packageName: string,
  name: string,
  value: unknown,
  min: number,
  max: number,
): number {
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
    throw configError(packageName, `${name} must be an integer from ${min} to ${max}, got ${String(value)}.`);
  }
  return value;
}

/**
 * Applies the defaults (lock and command timeouts 5,000 ms, retention core's
 * `DEFAULT_DONE_TTL_MS`, pruning every 60,000 ms in batches of 500) and validates each:
 * timeouts from 1 ms to Node's longest timer, `pruneIntervalMs` 0 (off) or more, batches
 * from 1 to 100,000.
 *
 * @example
 * const { lockTimeoutMs } = resolveStoreTimings('@pasis/sql', { lockTimeoutMs: 2_000 });
 */
export function resolveStoreTimings(packageName: string, options: StoreTimingOptions): ResolvedStoreTimings {
  const timer = (name: keyof StoreTimingOptions, fallback: number, min: number) =>
    integerOption(packageName, name, options[name] ?? fallback, min, MAX_TIMER_MS);
  return {
    lockTimeoutMs: timer('lockTimeoutMs', DEFAULT_LOCK_TIMEOUT_MS, 1),
    commandTimeoutMs: timer('commandTimeoutMs', DEFAULT_COMMAND_TIMEOUT_MS, 1),
    retentionMs: integerOption(
      packageName,
      'retentionMs',
      options.retentionMs ?? DEFAULT_DONE_TTL_MS,
      1,
      Number.MAX_SAFE_INTEGER,
    ),
    pruneIntervalMs: timer('pruneIntervalMs', DEFAULT_PRUNE_INTERVAL_MS, 0),
    pruneBatchSize: integerOption(
      packageName,
      'pruneBatchSize',
      options.pruneBatchSize ?? DEFAULT_PRUNE_BATCH_SIZE,
      1,
      100_000,
    ),
  };
}
