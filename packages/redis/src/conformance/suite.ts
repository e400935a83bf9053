import type { WebhookStore } from '@pasis/core';
import { describe, expect, it } from 'vitest';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
let counter = 0;
const freshKey = () => `conformance:${process.pid}:${Date.now()}:${counter++}`;

/**
 * One behaviour for every dedupe store: run it against each implementation. Uses real,
 * short leases (100–300 ms), so it checks expiry as the store really does it.
 */
export function describeStoreConformance(
  name: string,
  makeStore: () => WebhookStore | Promise<WebhookStore>,
) {
  describe(`${name} conforms to the WebhookStore contract`, () => {
    it('claims a key once; a second claim sees it in progress', async () => {
      const store = await makeStore();
      const key = freshKey();
      const first = await store.claim(key, { leaseMs: 5000 });
      expect(first.state).toBe('claimed');
      expect(await store.claim(key, { leaseMs: 5000 })).toEqual({ state: 'in_progress' });
    });

    it('answers completed after complete(), for the TTL', async () => {
      const store = await makeStore();
      const key = freshKey();
      const claim = (await store.claim(key, { leaseMs: 5000 })) as { token: string };
      await store.complete(key, claim.token, { ttlMs: 300 });
      expect(await store.claim(key, { leaseMs: 5000 })).toEqual({ state: 'completed' });
      await sleep(400);
      expect((await store.claim(key, { leaseMs: 5000 })).state).toBe('claimed');
    });

    it('frees the key on release(), so the redelivery can claim it', async () => {
      const store = await makeStore();
      const key = freshKey();
      const claim = (await store.claim(key, { leaseMs: 5000 })) as { token: string };
      await store.release(key, claim.token);
      expect((await store.claim(key, { leaseMs: 5000 })).state).toBe('claimed');
    });

    it('lets an expired lease be taken over, and refuses the stale token afterwards', async () => {
      const store = await makeStore();
      const key = freshKey();
      const stale = (await store.claim(key, { leaseMs: 100 })) as { token: string };
      await sleep(150);
      const fresh = (await store.claim(key, { leaseMs: 5000 })) as { state: string; token: string };
      expect(fresh.state).toBe('claimed');
      await store.release(key, stale.token);
      await store.complete(key, stale.token, { ttlMs: 5000 });
      expect(await store.claim(key, { leaseMs: 5000 })).toEqual({ state: 'in_progress' });
      if (store.renew) expect(await store.renew(key, stale.token, 5000)).toBe(false);
      await store.complete(key, fresh.token, { ttlMs: 5000 });
      expect(await store.claim(key, { leaseMs: 5000 })).toEqual({ state: 'completed' });
    });

    it('extends a lease on renew()', async () => {
      const store = await makeStore();
      if (!store.renew) return;
      const key = freshKey();
      const claim = (await store.claim(key, { leaseMs: 150 })) as { token: string };
      await sleep(100);
      expect(await store.renew(key, claim.token, 300)).toBe(true);
      await sleep(100);
      expect(await store.claim(key, { leaseMs: 5000 })).toEqual({ state: 'in_progress' });
    });

    it('gives exactly one of many concurrent claims', async () => {
      const store = await makeStore();
      const key = freshKey();
      const results = await Promise.all(
        Array.from({ length: 50 }, () => store.claim(key, { leaseMs: 5000 })),
      );
      expect(results.filter((r) => r.state === 'claimed')).toHaveLength(1);
    });
  });
}
