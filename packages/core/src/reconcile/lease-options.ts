/** The reconciler's lease options (`lease`, `leaseMs`): validated, each mistake a `config_error`. */
import { CORE_PACKAGE, configError } from '../config.js';
import { MAX_TIMER_MS } from '../util/max-timer.js';
import type { ReconcileLease } from './lease.js';
import { hasFunction, integer } from './option-checks.js';
import type { ReconcilerOptions } from './types.js';

/** Default `leaseMs` of `run()` called by hand (no schedule): 60 s, as `start()`'s default `everyMs`. */
const DEFAULT_UNSCHEDULED_LEASE_MS = 60_000;

/**
 * Validates `lease` (an object with `claim`) and `leaseMs` (an integer, only with a lease).
 *
 * @example
 * resolveLease({ ...options, lease: createMemoryReconcileLease(), leaseMs: 30_000 });
 */
export function resolveLease(options: Pick<ReconcilerOptions<unknown>, 'lease' | 'leaseMs'>): {
  lease: ReconcileLease | undefined;
  leaseMs: number | undefined;
} {
  const { lease, leaseMs } = options;
  if (lease !== undefined && !hasFunction(lease, ['claim'])) {
    throw configError(
      CORE_PACKAGE,
      'createReconciler: lease must have a claim(sessionIds, { leaseMs }) method (e.g. createMemoryReconcileLease()).',
    );
  }
  if (leaseMs === undefined) return { lease, leaseMs };
  if (lease === undefined) {
    throw configError(
      CORE_PACKAGE,
      'createReconciler: leaseMs applies to a lease: pass lease too, or drop leaseMs.',
    );
  }
  // Node's timers (and Redis's PX) take at most 2^31 - 1 ms as an integer.
  return { lease, leaseMs: integer('leaseMs', leaseMs, leaseMs, MAX_TIMER_MS) };
}

/**
 * The `leaseMs` of one run: the option when given, else the schedule's `everyMs` (rounded
 * up: a store takes whole milliseconds), else 60 s.
 *
 * @example
 * runLeaseMs(undefined, 30_000); // 30000: the schedule's interval
 */
export function runLeaseMs(leaseMs: number | undefined, everyMs: number | undefined): number {
  return leaseMs ?? Math.ceil(everyMs ?? DEFAULT_UNSCHEDULED_LEASE_MS);
}
