/**
 * The run's part of a fleet's lease (`lease.ts`): of the sessions the app listed, the ones
 * this instance checks now. The one place a run touches the lease: everything else in the
 * run is the same with a lease or without.
 */
import { errorSummary } from '../logging/format.js';
import type { PasisLogger } from '../logging/logger.js';
import { MAX_RECONCILE_LEASE_BATCH, type ReconcileLease } from './lease.js';

/** Seconds of retrieves, at the run's pace, that one claim of the lease covers. */
export const LEASE_AHEAD_SECONDS = 2;

/** What a run needs to take its share. */
export interface LeaseShareDeps {
  /** The fleet's lease; none: this instance checks every session it listed. */
  lease: ReconcileLease | undefined;
  /** How long a granted id stays taken (the reconciler's `leaseMs`, resolved for this run). */
  leaseMs: number;
  /** Retrieves in flight at once: the least a claim asks for. */
  concurrency: number;
  logger: PasisLogger;
}

/** How a page's share reaches the run's queue (see `feed`). */
export interface ShareSink {
  /** The run's pace now, in retrieves per second: unpaced, what it achieved in the last second. */
  pace(): number;
  /** Queues granted ids, and counts what was held elsewhere or skipped. */
  add(share: LeaseShare): void;
  /** Waits until the queue holds at most `n`; `false` when the run is over. */
  room(n: number): Promise<boolean>;
}

/** This instance's share of one run's sessions. */
export interface LeaseShare {
  /** The ids to check, in the order listed. */
  ids: string[];
  /** Listed, not checked: another instance (or an earlier run) holds their lease. */
  heldElsewhere: number;
  /** Listed, not checked: the lease could not be asked, or the run was stopped first. */
  skipped: number;
}

/**
 * A run's way to its share, page by page: `take(ids)` claims a page of listed ids,
 * {@link MAX_RECONCILE_LEASE_BATCH} per round trip, and answers the granted ones. A batch
 * whose claim fails is skipped, not checked unleased: every instance would then retrieve it,
 * which is the rate limit the lease is there to save; the next run asks again. `finish()`
 * logs one warning per run, whatever the number of failed batches.
 */
export function leaseShares(deps: LeaseShareDeps, signal: AbortSignal) {
  const { lease, leaseMs, logger } = deps;
  let skippedInRun = 0;
  let failure: unknown;
  const shares = {
    async take(ids: string[]): Promise<LeaseShare> {
      if (lease === undefined) return { ids, heldElsewhere: 0, skipped: 0 };
      const granted = new Set<string>();
      let skipped = 0;
      for (let start = 0; start < ids.length; start += MAX_RECONCILE_LEASE_BATCH) {
        const batch = ids.slice(start, start + MAX_RECONCILE_LEASE_BATCH);
        if (signal.aborted) {
          skipped += ids.length - start;
          break;
        }
        try {
          // Only ids of this batch count: a store answering anything else cannot widen the share.
          const answer = new Set(await lease.claim(batch, { leaseMs }));
          for (const id of batch) if (answer.has(id)) granted.add(id);
        } catch (error) {
          failure ??= error;
          skipped += batch.length;
        }
      }
      skippedInRun += skipped;
      const share = ids.filter((id) => granted.has(id));
      return { ids: share, heldElsewhere: ids.length - share.length - skipped, skipped };
    },
    finish(): void {
      if (failure === undefined) return;
      logger.warn(
        `Pasis reconcile: the lease could not be asked; ${skippedInRun} sessions wait for the next run: ${errorSummary(failure)}`,
        { error: failure },
      );
    },
    /**
     * Claims a listed page a chunk at a time, each about {@link LEASE_AHEAD_SECONDS} of
     * retrieves at the pace, the next only once the queue is down to half a chunk: instances
     * of a fleet then split the work by what each retrieves, so that one paced down to a small
     * share holds little, not a page it would take minutes over while the others are done (and
     * no lease runs out while its id waits in a queue). Without a lease the page is queued at
     * once. Answers the ids of the page left unclaimed when the run ended first.
     */
    async feed(ids: string[], sink: ShareSink): Promise<string[]> {
      if (lease === undefined) {
        sink.add({ ids, heldElsewhere: 0, skipped: 0 });
        return [];
      }
      for (let start = 0; start < ids.length; ) {
        const ahead = Math.ceil(sink.pace() * LEASE_AHEAD_SECONDS);
        const size = Math.min(MAX_RECONCILE_LEASE_BATCH, Math.max(deps.concurrency, ahead));
        sink.add(await shares.take(ids.slice(start, start + size)));
        start += size;
        if (start < ids.length && !(await sink.room(Math.floor(size / 2)))) return ids.slice(start);
      }
      return [];
    },
  };
  return shares;
}
