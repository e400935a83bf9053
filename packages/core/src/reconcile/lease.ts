/**
 * Sharing one reconciler's work across a fleet: the lease every instance asks before it
 * retrieves a session. What it is (the interface a shared store implements) and how long a
 * grant holds by default.
 */

/**
 * Most session ids the reconciler passes to one {@link ReconcileLease.claim}: a page of ids
 * is one round trip to the store, never one per session. Stores may rely on it (an `IN`
 * list, a Lua script's keys).
 *
 * @example
 * const pages = Math.ceil(ids.length / MAX_RECONCILE_LEASE_BATCH); // claims per run
 */
export const MAX_RECONCILE_LEASE_BATCH = 100;

/**
 * What {@link ReconcileLease.claim} is told.
 *
 * @example
 * await lease.claim(['cs_1', 'cs_2'], { leaseMs: 60_000 });
 */
export interface ReconcileLeaseClaimOptions {
  /**
   * How long a granted id stays taken, from now (a positive integer of milliseconds). The
   * reconciler passes its `leaseMs` (by default `start()`'s `everyMs`).
   */
  leaseMs: number;
}

/**
 * The reconciler's lease on pending sessions, shared by every instance of an app through a
 * store they all reach (Redis, PostgreSQL, MySQL...): before a run retrieves sessions, it
 * claims them here, a page at a time, and retrieves only the ids granted. A granted id stays
 * taken for `leaseMs` and is never released early, by anyone: every other claim of it
 * (another instance's, or the same one's next run) is refused until then. So each pending
 * session is retrieved about once per `leaseMs` across the fleet, and the ids of an instance
 * that died mid-run are granted again once their lease ran out (the next run).
 *
 * Implementations: `createMemoryReconcileLease()` (`@pasis/core/testing`: one process, tests),
 * `createRedisReconcileLease` (`@pasis/redis`), `createPostgresReconcileLease`
 * (`@pasis/postgres`), `createSqlReconcileLease` (`@pasis/sql`). Each passes
 * `describeReconcileLeaseConformance` (`@pasis/core/testing`).
 *
 * @example
 * const lease: ReconcileLease = {
 *   // one round trip per page: SET NX PX of every id, the ids that were set come back
 *   claim: async (ids, { leaseMs }) => ids.filter((id, i) => answers[i] === 'OK'),
 * };
 */
export interface ReconcileLease {
  /**
   * Takes the ids that nobody holds (or whose lease ran out) for `leaseMs`, atomically per
   * id, and answers them (in any order); the others are held by someone else. `sessionIds`
   * are distinct, at most {@link MAX_RECONCILE_LEASE_BATCH}, never empty. Rejects when the
   * store cannot be asked (the run then skips that page: retrieving it unleased would spend
   * the fleet's rate limit several times over).
   */
  claim(sessionIds: readonly string[], options: ReconcileLeaseClaimOptions): Promise<readonly string[]>;
}
