/**
 * The reconcile lease conformance suite: one behaviour for every {@link ReconcileLease}
 * (memory, Redis, PostgreSQL, the SQL dialects), run with the test runner of your choice.
 * Like the store suite, it imports no test framework and asserts with `node:assert/strict`.
 */
import assert from 'node:assert/strict';
import type { Awaitable } from '../../dedupe/store.js';
import { MAX_RECONCILE_LEASE_BATCH, type ReconcileLease } from '../../reconcile/lease.js';
import type { ConformanceRunner } from '../conformance-runner.js';
import { settleWithin, sleep } from '../store-conformance/support.js';

/** Options of {@link describeReconcileLeaseConformance}. */
export interface ReconcileLeaseConformanceOptions extends Pick<ConformanceRunner, 'describe' | 'it'> {
  /** Shown in the suite's title, e.g. `'createRedisReconcileLease'`. */
  name: string;
  /**
   * Builds the lease of one instance of the fleet. Tests call it several times for one
   * backend (the instances), and every test uses fresh session ids: leases may share it.
   */
  makeLease: () => Awaitable<ReconcileLease>;
}

let counter = 0;

/** `n` session ids no other test (in this process or another) uses. */
function freshIds(n: number, tag = 'cs'): string[] {
  const base = `${tag}_lease_${process.pid}_${Date.now()}_${counter++}`;
  return Array.from({ length: n }, (_, i) => `${base}_${i}`);
}

const sorted = (ids: readonly string[]) => [...ids].sort();

/**
 * Declares the conformance tests of one lease with your runner: a granted id is refused to
 * every claim (another instance's, the holder's own) until its lease ends, then granted
 * again; a refused claim does not extend the lease; concurrent instances each get a
 * disjoint part of a page whose union is the page; ids are compared byte for byte. Leases
 * are real and short (300 ms) with waits at least 1.5 times as long: no upper bound on any
 * duration is asserted.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { createMemoryReconcileLease, describeReconcileLeaseConformance } from '@pasis/core/testing';
 *
 * const lease = createMemoryReconcileLease();
 * describeReconcileLeaseConformance({ describe, it, name: 'memory', makeLease: () => lease });
 */
export function describeReconcileLeaseConformance(options: ReconcileLeaseConformanceOptions): void {
  const { describe, it, name, makeLease } = options;
  const claim = async (lease: ReconcileLease, ids: readonly string[], leaseMs = 60_000) => {
    const granted = await settleWithin(lease.claim(ids, { leaseMs }), 20_000, 'the lease');
    assert.ok(Array.isArray(granted), 'claim() answers an array of ids');
    for (const id of granted)
      assert.ok(ids.includes(id), `claim() answered ${id}, which it was not asked about`);
    return sorted(granted);
  };

  describe(`${name} conforms to the ReconcileLease contract`, () => {
    it('grants ids nobody holds, then refuses them to every claim, the holder’s included', async () => {
      const [a, b] = [await makeLease(), await makeLease()];
      const [x, y, z] = freshIds(3);
      assert.deepEqual(await claim(a, [x!, y!]), sorted([x!, y!]));
      assert.deepEqual(await claim(b, [x!, y!, z!]), [z], 'the other instance gets only the free id');
      assert.deepEqual(await claim(a, [x!]), [], 'a held id is not granted again, even to its holder');
    });

    it('grants an id again once its lease ran out; a refused claim does not extend the lease', async () => {
      const [a, b, c] = [await makeLease(), await makeLease(), await makeLease()];
      const [x] = freshIds(1);
      assert.deepEqual(await claim(a, [x!], 300), [x]);
      // Refused, with a long lease: a store that wrote it anyway would hold x for a minute.
      assert.deepEqual(await claim(b, [x!], 60_000), []);
      await sleep(450);
      assert.deepEqual(await claim(c, [x!], 300), [x], 'granted after the first lease ended');
    });

    it('keeps a long lease past a short wait', async () => {
      const [a, b] = [await makeLease(), await makeLease()];
      const [x] = freshIds(1);
      assert.deepEqual(await claim(a, [x!], 60_000), [x]);
      await sleep(450);
      assert.deepEqual(await claim(b, [x!], 300), []);
    });

    it('splits one page among 5 instances claiming it at once: disjoint shares, every id once', async () => {
      const leases = await Promise.all(Array.from({ length: 5 }, () => makeLease()));
      const page = freshIds(60);
      // Each instance lists the page in its own order, as separate app processes may.
      const shares = await Promise.all(
        leases.map((lease, i) => claim(lease, i % 2 === 0 ? page : [...page].reverse())),
      );
      const all = shares.flat();
      assert.equal(new Set(all).size, all.length, 'no id granted twice');
      assert.deepEqual(sorted(all), sorted(page), 'every id granted to one instance');
    });

    it(`takes a full page of ${MAX_RECONCILE_LEASE_BATCH} ids in one claim`, async () => {
      const lease = await makeLease();
      const page = freshIds(MAX_RECONCILE_LEASE_BATCH);
      assert.deepEqual(await claim(lease, page), sorted(page));
      assert.deepEqual(await claim(await makeLease(), page), []);
    });

    it('compares ids byte for byte: quotes, backslashes, case, spaces and non-ASCII stay apart', async () => {
      const [base] = freshIds(1);
      const odd = ["'", '"', '\\', '\\0', '%', '_', 'é', 'e', '😀', '`; DROP TABLE x; --'];
      const ids = odd.map((suffix) => `${base}${suffix}`);
      assert.deepEqual(await claim(await makeLease(), ids), sorted(ids));
      for (const id of ids) assert.deepEqual(await claim(await makeLease(), [id]), [], `${id} is held`);
      // Equal in a case- or accent-insensitive, or space-padding, collation; other ids here.
      const others = ['E', 'É', 'e ', 'e\u0301'].map((suffix) => `${base}${suffix}`);
      assert.deepEqual(await claim(await makeLease(), others), sorted(others));
    });
  });
}
