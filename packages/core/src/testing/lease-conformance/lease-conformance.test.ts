import { describe, expect, it } from 'vitest';
import type { ReconcileLease } from '../../reconcile/lease.js';
import { createMemoryReconcileLease } from '../../reconcile/memory-lease.js';
import type { ConformanceRunner } from '../conformance-runner.js';
import { describeReconcileLeaseConformance } from './describe.js';

/**
 * Runs the suite with a tiny runner of its own (no vitest inside) against `lease` and
 * returns the names of the tests that failed.
 */
async function failuresOf(lease: ReconcileLease): Promise<string[]> {
  const tests: { name: string; fn: () => Promise<void> }[] = [];
  const runner: ConformanceRunner = {
    describe: (_name, fn) => fn(),
    it: (name, fn) => tests.push({ name, fn }),
  };
  describeReconcileLeaseConformance({ ...runner, name: 'broken', makeLease: () => lease });
  const failed: string[] = [];
  for (const test of tests) await test.fn().catch(() => failed.push(test.name));
  return failed;
}

describe('the reconcile lease conformance suite', () => {
  it('fails a lease that grants every id', async () => {
    const failed = await failuresOf({ claim: async (ids) => [...ids] });
    expect(failed).toContain(
      'grants ids nobody holds, then refuses them to every claim, the holder’s included',
    );
    expect(failed.some((name) => name.startsWith('splits one page among 5 instances'))).toBe(true);
  });

  it('fails a lease whose refused claim extends the lease, and one that never lets go', async () => {
    const expiries = new Map<string, number>();
    const extending: ReconcileLease = {
      claim: async (ids, { leaseMs }) => {
        const now = Date.now();
        const free = ids.filter((id) => (expiries.get(id) ?? 0) <= now);
        for (const id of ids) expiries.set(id, now + leaseMs); // writes the refused ones too
        return free;
      },
    };
    expect(await failuresOf(extending)).toContain(
      'grants an id again once its lease ran out; a refused claim does not extend the lease',
    );
    const held = new Set<string>();
    const forever: ReconcileLease = {
      claim: async (ids) => ids.filter((id) => !held.has(id) && held.add(id)),
    };
    expect(await failuresOf(forever)).toContain(
      'grants an id again once its lease ran out; a refused claim does not extend the lease',
    );
  });

  it('fails a lease that folds case (a text key in a case-insensitive collation)', async () => {
    const memory = createMemoryReconcileLease();
    const folding: ReconcileLease = {
      claim: async (ids, options) => {
        const granted = new Set(await memory.claim([...new Set(ids.map((id) => id.toLowerCase()))], options));
        return ids.filter((id) => granted.has(id.toLowerCase()));
      },
    };
    expect(await failuresOf(folding)).toContain(
      'compares ids byte for byte: quotes, backslashes, case, spaces and non-ASCII stay apart',
    );
  });

  it('passes the memory lease under its own runner too', async () => {
    expect(await failuresOf(createMemoryReconcileLease())).toEqual([]);
  });
});
