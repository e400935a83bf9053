/**
 * The reconciler's public surface; `@pasis/core` re-exports all of it.
 * Explicit named exports only: what is not here is internal.
 */
export { createReconciler } from './create-reconciler.js';
export type { Reconciler } from './create-reconciler.js';
export {
  DEFAULT_RECONCILE_CONCURRENCY,
  DEFAULT_RECONCILE_EVERY_MS,
  DEFAULT_RECONCILE_MAX_ATTEMPTS,
  DEFAULT_RECONCILE_MAX_PAUSE_MS,
  DEFAULT_RECONCILE_OLDER_THAN_MS,
} from './options.js';
export type {
  CheckOutcome,
  CheckResult,
  ReconcileFailure,
  ReconcilerOptions,
  ReconcileSummary,
  RunOptions,
  SessionRef,
  SessionsQuery,
  SessionsSource,
  StartOptions,
} from './types.js';
