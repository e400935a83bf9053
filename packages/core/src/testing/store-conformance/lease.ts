/** The lease part of the store conformance suite: expiry, takeover, renew, stale tokens. */
import assert from 'node:assert/strict';
import type { ConformanceRunner } from '../conformance-runner.js';
import { claimedToken, sleep, storeKey, type WithStore } from './support.js';

/**
 * Declares the lease tests. They use real, short leases and TTLs (100–300 ms) with waits of
 * at least 1.5 times as long, so they check expiry as the store really does it.
 */
export function leaseTests<Tx>(it: ConformanceRunner['it'], withStore: WithStore<Tx>): void {
  it('remembers a completed key for its ttlMs, then forgets it', () =>
    withStore(async (store) => {
      const key = storeKey();
      const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
      await store.complete(key, token, { ttlMs: 300 });
      assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'completed' });
      await sleep(600);
      const again = claimedToken(await store.claim(key, { leaseMs: 5000 }), 'the claim after the TTL');
      await store.release(key, again);
    }));

  it('lets an expired lease be taken over, and refuses the stale token afterwards', () =>
    withStore(async (store) => {
      const key = storeKey();
      const stale = claimedToken(await store.claim(key, { leaseMs: 100 }));
      await sleep(250);
      const fresh = claimedToken(await store.claim(key, { leaseMs: 5000 }), 'the takeover');
      // The stale worker wakes up: neither its release nor its complete touches the new claim.
      await store.release(key, stale);
      await store.complete(key, stale, { ttlMs: 5000 });
      assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'in_progress' });
      if (store.renew) assert.equal(await store.renew(key, stale, 5000), false);
      await store.complete(key, fresh, { ttlMs: 5000 });
      assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'completed' });
    }));

  it('extends a lease on renew()', () =>
    withStore(async (store) => {
      if (!store.renew) return; // renew is optional: a store without it is not checked here
      const key = storeKey();
      const token = claimedToken(await store.claim(key, { leaseMs: 300 }));
      assert.equal(await store.renew(key, token, 5000), true);
      await sleep(500); // past the first lease, well within the renewed one
      assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'in_progress' });
      await store.release(key, token);
    }));
}
