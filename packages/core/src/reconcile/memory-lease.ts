import type { ReconcileLease } from './lease.js';

/** Options of {@link createMemoryReconcileLease}. */
export interface MemoryReconcileLeaseOptions {
  /** The clock in milliseconds (tests). Default `Date.now`. */
  now?: () => number;
}

/** The memory lease: its grants answer synchronously, wrapped in a promise. */
export interface MemoryReconcileLease extends ReconcileLease {
  /** How many ids are held now (expired ones are dropped at the next claim). */
  readonly size: number;
}

/**
 * A {@link ReconcileLease} in this process's memory: correct for reconcilers that share
 * the object (one process), and for tests. Instances of a fleet need a shared one
 * (`@pasis/redis`, `@pasis/postgres`, `@pasis/sql`). Holds one entry per pending session
 * leased, each dropped once its lease ran out.
 *
 * @example
 * const lease = createMemoryReconcileLease();
 * const a = createReconciler({ client, webhooks, sessions, lease });
 * const b = createReconciler({ client, webhooks, sessions, lease }); // skips what a holds
 */
export function createMemoryReconcileLease(options: MemoryReconcileLeaseOptions = {}): MemoryReconcileLease {
  const now = options.now ?? Date.now;
  const expiresAt = new Map<string, number>();
  // Expired ids are swept at most once per their shortest lease, so a claim stays O(page).
  let nextSweep = Number.POSITIVE_INFINITY;

  const sweep = (at: number) => {
    nextSweep = Number.POSITIVE_INFINITY;
    for (const [id, until] of expiresAt) {
      if (until <= at) expiresAt.delete(id);
      else nextSweep = Math.min(nextSweep, until);
    }
  };

  return {
    async claim(sessionIds, { leaseMs }) {
      const at = now();
      if (at >= nextSweep) sweep(at);
      const granted: string[] = [];
      for (const id of sessionIds) {
        const until = expiresAt.get(id);
        if (until !== undefined && until > at) continue;
        expiresAt.set(id, at + leaseMs);
        nextSweep = Math.min(nextSweep, at + leaseMs);
        granted.push(id);
      }
      return granted;
    },
    get size() {
      return expiresAt.size;
    },
  };
}
