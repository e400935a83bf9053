import { describe, expect, it } from 'vitest';
import { describeReconcileLeaseConformance } from '../testing/lease-conformance/describe.js';
import { createMemoryReconcileLease } from './memory-lease.js';

// One process: every "instance" of the suite shares one memory lease.
const shared = createMemoryReconcileLease();
describeReconcileLeaseConformance({
  describe,
  it,
  name: 'createMemoryReconcileLease',
  makeLease: () => shared,
});

describe('createMemoryReconcileLease', () => {
  it('drops expired ids at a later claim, so it holds only live leases', async () => {
    let now = 0;
    const lease = createMemoryReconcileLease({ now: () => now });
    await lease.claim(['a', 'b'], { leaseMs: 100 });
    await lease.claim(['c'], { leaseMs: 1_000 });
    expect(lease.size).toBe(3);
    now = 100;
    expect(await lease.claim(['d'], { leaseMs: 1_000 })).toEqual(['d']);
    expect(lease.size).toBe(2);
    expect(await lease.claim(['a', 'c'], { leaseMs: 1_000 })).toEqual(['a']);
  });
});
