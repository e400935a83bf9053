import { describe, expect, it } from 'vitest';
import { createMemoryStore } from './memory-store.js';

describe('createMemoryStore', () => {
  it('claims once; completes and remembers; answers duplicates', async () => {
    const store = createMemoryStore();
    const claim = await store.claim('k', { leaseMs: 1000 });
    expect(claim.state).toBe('claimed');
    expect(await store.claim('k', { leaseMs: 1000 })).toEqual({ state: 'in_progress' });
    await store.complete('k', (claim as { token: string }).token, { ttlMs: 1000 });
    expect(await store.claim('k', { leaseMs: 1000 })).toEqual({ state: 'completed' });
  });

  it('lets an expired lease be taken over, and refuses the stale token afterwards', async () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now });
    const first = (await store.claim('k', { leaseMs: 100 })) as { token: string };
    now = 101;
    const second = (await store.claim('k', { leaseMs: 100 })) as { state: string; token: string };
    expect(second.state).toBe('claimed');
    await store.release('k', first.token);
    await store.complete('k', first.token, { ttlMs: 1000 });
    expect(await store.claim('k', { leaseMs: 100 })).toEqual({ state: 'in_progress' });
    expect(await store.renew!('k', first.token, 100)).toBe(false);
    expect(await store.renew!('k', second.token, 100)).toBe(true);
    await store.release('k', second.token);
    expect((await store.claim('k', { leaseMs: 100 })).state).toBe('claimed');
  });

  it('forgets completed keys after their TTL', async () => {
    let now = 0;
    const store = createMemoryStore({ now: () => now });
    const claim = (await store.claim('k', { leaseMs: 100 })) as { token: string };
    await store.complete('k', claim.token, { ttlMs: 500 });
    now = 500;
    expect((await store.claim('k', { leaseMs: 100 })).state).toBe('completed');
    now = 501;
    expect((await store.claim('k', { leaseMs: 100 })).state).toBe('claimed');
  });

  it('is bounded: the least recently used keys are forgotten past maxEntries', async () => {
    const store = createMemoryStore({ maxEntries: 2 });
    for (const key of ['a', 'b', 'c']) {
      const claim = (await store.claim(key, { leaseMs: 1000 })) as { token: string };
      await store.complete(key, claim.token, { ttlMs: 60_000 });
    }
    expect((await store.claim('a', { leaseMs: 1000 })).state).toBe('claimed');
    expect((await store.claim('c', { leaseMs: 1000 })).state).toBe('completed');
    expect(() => createMemoryStore({ maxEntries: 0 })).toThrow(/maxEntries/);
  });
});

describe('createMemoryStore bounds', () => {
  it('a released slot forgets nothing: the key claimed again keeps its place', () => {
    const store = createMemoryStore({ maxEntries: 2 });
    const first = store.claim('a', { leaseMs: 1000 }) as { token: string };
    store.release('a', first.token);
    const again = store.claim('a', { leaseMs: 1000 }) as { token: string };
    store.complete('a', again.token, { ttlMs: 1000 });
    // 'b' takes the released slot and forgets nothing; 'c' forgets the oldest, 'a'.
    store.claim('b', { leaseMs: 1000 });
    expect(store.size).toBe(2);
    expect(store.claim('a', { leaseMs: 1000 })).toEqual({ state: 'completed' });
    store.claim('c', { leaseMs: 1000 });
    expect(store.size).toBe(2);
    expect(store.claim('b', { leaseMs: 1000 })).toEqual({ state: 'in_progress' });
    expect(store.claim('c', { leaseMs: 1000 })).toEqual({ state: 'in_progress' });
  });

  it('stays bounded through 100,000 distinct keys, with released and retaken keys among them', () => {
    let now = 0;
    const store = createMemoryStore({ maxEntries: 1_000, now: () => now });
    for (let i = 0; i < 100_000; i++) {
      const key = `k${i}`;
      const claim = store.claim(key, { leaseMs: 10 }) as { token: string };
      if (i % 3 === 0) store.release(key, claim.token);
      else store.complete(key, claim.token, { ttlMs: 60_000 });
      // An old key claimed again after its lease: taken over, never a second copy of it.
      if (i % 1_000 === 999) {
        now += 20;
        store.claim(`k${i - 500}`, { leaseMs: 10 });
      }
    }
    // The newest completed keys are remembered, the oldest forgotten.
    expect(store.claim('k99998', { leaseMs: 10 }).state).toBe('completed');
    expect(store.claim('k1', { leaseMs: 10 }).state).toBe('claimed');
    expect(store.size).toBeLessThanOrEqual(1_000);
  });
});
