// A fleet's reconcilers sharing one lease: each pending session retrieved once per lease
// across them, the rest counted as held elsewhere. Real retrieves to a local §1b server,
// real receivers; the memory lease runs on a clock the test moves.
import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import type { SessionServer } from '../testing/peers/session-server.js';
import { MAX_RECONCILE_LEASE_BATCH, type ReconcileLease } from './lease.js';
import { createMemoryReconcileLease } from './memory-lease.js';
import { reconcilerHarness, until } from './test-support/harness.js';
import { sessionServerFixture } from './test-support/session-fixture.js';

let pasis: SessionServer;
const ids = sessionServerFixture('sess_lease', (server) => {
  pasis = server;
});
/** The session ids retrieved from now on (the server keeps every request of the file). */
const retrieves = () => {
  const from = pasis.requested.length;
  return () => pasis.requested.slice(from);
};

/** A memory lease on a clock the test moves, recording what each claim was asked. */
function recordedLease() {
  let now = 0;
  const memory = createMemoryReconcileLease({ now: () => now });
  const claims: { ids: readonly string[]; leaseMs: number }[] = [];
  const lease: ReconcileLease = {
    claim: (sessionIds, options) => {
      claims.push({ ids: [...sessionIds], leaseMs: options.leaseMs });
      return memory.claim(sessionIds, options);
    },
  };
  return { lease, claims, advance: (ms: number) => (now += ms) };
}

describe('a fleet of reconcilers on one lease', () => {
  it('retrieves each pending session once across 3 instances; the others count it held elsewhere', async () => {
    const { lease } = recordedLease();
    const retrieved = retrieves();
    const sessions = [...ids(20, 'success'), ...ids(10, 'open')];
    const fleet = [1, 2, 3].map(() => reconcilerHarness(pasis, { lease }));
    for (const h of fleet) h.open.push(...sessions);
    const summaries = await Promise.all(fleet.map((h) => h.reconciler.run()));
    expect(retrieved().sort()).toEqual([...sessions].sort());
    expect(fleet.flatMap((h) => h.handled.map((r) => r.event.session_id)).sort()).toEqual(
      sessions.slice(0, 20).sort(),
    );
    for (const s of summaries) {
      const counted = s.handled + s.duplicate + s.ignored + s.stillOpen + s.unknown + s.inProgress;
      expect(counted + s.failed + s.skipped + s.heldElsewhere).toBe(s.listed);
    }
    expect(summaries.reduce((n, s) => n + s.heldElsewhere, 0)).toBe(60);
    expect(summaries.reduce((n, s) => n + s.stillOpen, 0)).toBe(10);
  });

  it('asks nothing again within the lease, everything once it ran out', async () => {
    const { lease, advance } = recordedLease();
    const h = reconcilerHarness(pasis, { lease, leaseMs: 30_000 });
    const retrieved = retrieves();
    h.open.push(...ids(3, 'open'));
    expect(await h.reconciler.run()).toMatchObject({ stillOpen: 3, heldElsewhere: 0 });
    advance(29_999);
    expect(await h.reconciler.run()).toMatchObject({ checked: 0, heldElsewhere: 3, skipped: 0 });
    expect(retrieved()).toHaveLength(3);
    const quiet = h.logger.lines.filter((l) => l.level !== 'debug').at(-1)!;
    expect(quiet).toMatchObject({ level: 'info' });
    expect(quiet.message).toContain('3 held elsewhere');
    advance(1);
    expect(await h.reconciler.run()).toMatchObject({ stillOpen: 3, heldElsewhere: 0 });
    expect(retrieved()).toHaveLength(6);
  });

  it(`claims what it is about to retrieve: from its concurrency up to ${MAX_RECONCILE_LEASE_BATCH} ids a round trip`, async () => {
    const { lease, claims } = recordedLease();
    const h = reconcilerHarness(pasis, { lease, concurrency: 4 });
    const listed = ids(3 * MAX_RECONCILE_LEASE_BATCH + 50);
    h.open.push(...listed);
    expect(await h.reconciler.run()).toMatchObject({ listed: listed.length, unknown: listed.length });
    // Each id once, in the order listed, never more than a batch per claim.
    expect(claims.flatMap((c) => c.ids)).toEqual(listed);
    const sizes = claims.map((c) => c.ids.length);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(MAX_RECONCILE_LEASE_BATCH);
    // Unpaced, it starts with its concurrency and grows with what it achieves (2 s of it; the
    // harness's clock stands still, so everything is "the last second"), up to a full batch.
    expect(sizes[0]).toBe(4);
    expect(sizes).toContain(MAX_RECONCILE_LEASE_BATCH);
  });

  it('paced, claims about 2 s of retrieves at a time, never a whole page', async () => {
    const { lease, claims } = recordedLease();
    const h = reconcilerHarness(pasis, { lease, concurrency: 2, maxRequestsPerSecond: 5 });
    const listed = ids(40);
    h.open.push(...listed);
    const run = h.reconciler.run();
    // The pacer waits on the harness's clock: moved a tenth of a second at a time.
    for (let i = 0; i < 200 && h.reconciler.running; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      h.clock.advance(100);
    }
    expect(await run).toMatchObject({ listed: 40, unknown: 40 });
    expect(claims.flatMap((c) => c.ids)).toEqual(listed);
    expect(new Set(claims.map((c) => c.ids.length))).toEqual(new Set([10]));
  });

  it('leases for leaseMs, else start()’s everyMs, else 60 s for a run() by hand', async () => {
    const given = recordedLease();
    await reconcilerHarness(pasis, { lease: given.lease, leaseMs: 5_000 }).reconciler.run();
    const byHand = recordedLease();
    const manual = reconcilerHarness(pasis, { lease: byHand.lease });
    manual.open.push(...ids(1, 'open'));
    await manual.reconciler.run();
    expect(byHand.claims.map((c) => c.leaseMs)).toEqual([60_000]);
    const scheduled = recordedLease();
    const h = reconcilerHarness(pasis, { lease: scheduled.lease });
    h.open.push(...ids(1, 'open'));
    h.reconciler.start({ everyMs: 12_345.5, olderThanMs: 0 });
    h.clock.advance(12_346);
    await until(() => scheduled.claims.length === 1 && !h.reconciler.running, 'the scheduled run');
    await h.reconciler.stop();
    expect(scheduled.claims[0]!.leaseMs).toBe(12_346);
    const withOption = reconcilerHarness(pasis, { lease: given.lease, leaseMs: 5_000 });
    withOption.open.push(...ids(1, 'open'));
    await withOption.reconciler.run();
    expect(given.claims.map((c) => c.leaseMs)).toEqual([5_000]);
  });

  it('skips the ids whose claim fails (one warning a run), and checks the ones granted', async () => {
    const memory = createMemoryReconcileLease();
    let calls = 0;
    const lease: ReconcileLease = {
      claim: (sessionIds, options) =>
        ++calls === 1 ? Promise.reject(new Error('lease store down')) : memory.claim(sessionIds, options),
    };
    const h = reconcilerHarness(pasis, { lease, concurrency: 4 });
    const retrieved = retrieves();
    h.open.push(...ids(MAX_RECONCILE_LEASE_BATCH + 2, 'open'));
    const summary = await h.reconciler.run();
    // The first claim (4 ids, the concurrency) failed; the rest were granted.
    expect(summary).toMatchObject({ listed: 102, skipped: 4, stillOpen: 98, heldElsewhere: 0 });
    expect(retrieved()).toHaveLength(98);
    const warnings = h.logger.lines.filter((l) => l.level === 'warn');
    expect(warnings.map((l) => l.message)).toEqual([
      expect.stringMatching(
        /^Pasis reconcile: the lease could not be asked; 4 sessions wait.*lease store down/,
      ),
    ]);
  });

  it('checks only ids of the page it asked about, whatever the lease answers', async () => {
    const [asked] = ids(1, 'open');
    const lease: ReconcileLease = { claim: async (sessionIds) => [...sessionIds, 'sess_never_listed'] };
    const h = reconcilerHarness(pasis, { lease });
    const retrieved = retrieves();
    h.open.push(asked!);
    expect(await h.reconciler.run()).toMatchObject({ listed: 1, stillOpen: 1 });
    expect(retrieved()).toEqual([asked]);
  });

  it('check() never asks the lease: a return page wants its answer now', async () => {
    const { lease, claims } = recordedLease();
    const h = reconcilerHarness(pasis, { lease });
    const [paid] = ids(1, 'success');
    expect(await h.reconciler.check(paid!)).toMatchObject({ outcome: 'handled' });
    expect(claims).toEqual([]);
  });

  it('refuses a lease without claim(), and a leaseMs that is not a positive integer or has no lease', () => {
    const refused = (options: object, mentions: string) => {
      try {
        reconcilerHarness(pasis, options);
      } catch (error) {
        expect(isPasisError(error, 'config_error')).toBe(true);
        expect((error as Error).message).toContain(mentions);
        return;
      }
      throw new Error(`expected a config_error mentioning ${mentions}`);
    };
    const lease = createMemoryReconcileLease();
    refused({ lease: {} }, 'lease must have a claim(sessionIds, { leaseMs }) method');
    refused({ leaseMs: 1_000 }, 'leaseMs applies to a lease');
    for (const leaseMs of [0, 1.5, -1, Number.NaN, 2 ** 31, '1000'])
      refused({ lease, leaseMs }, 'leaseMs must be an integer from 1 to 2147483647');
  });
});
