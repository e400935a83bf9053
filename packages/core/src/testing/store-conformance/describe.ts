/**
 * The store conformance suite: one behaviour for every {@link WebhookStore}, run with the
 * test runner of your choice. It imports no test framework (pass your runner's `describe`
 * and `it`) and asserts with `node:assert/strict`, so it runs under vitest, jest, mocha or
 * `node:test` alike.
 */
import assert from 'node:assert/strict';
import type { WebhookStore } from '../../dedupe/store.js';
import { leaseTests } from './lease.js';
import { receiverTests } from './receiver.js';
import { claimedToken, settleWithin, storeKey } from './support.js';
import { transactionalTests } from './transactional.js';
import type { StoreConformanceOptions } from './types.js';

export type {
  LeaseStoreConformanceOptions,
  StoreConformanceOptions,
  TransactionalStoreConformanceOptions,
} from './types.js';

/**
 * Declares the conformance tests of one store with your runner. The common part holds for
 * every store; a lease store is also checked for expiry, takeover, `renew` and stale
 * tokens, a transactional one for waiting on a concurrent holder (completed after its
 * commit, claimed after its rollback, `in_progress` after the lock timeout) and for its
 * `tx` (usable, its writes gone on release, kept on complete). Through core's receiver,
 * every store runs a `ctx.afterCommit` effect once after the commit (never for a failed
 * attempt or a duplicate), and a transactional one keeps nothing of a throwing handler and
 * one write of 25 concurrent duplicates.
 *
 * @example
 * import { describe, it } from 'vitest';
 * import { createMemoryStore } from '@pasis/core';
 * import { describeStoreConformance } from '@pasis/core/testing';
 *
 * describeStoreConformance({ describe, it, name: 'memory', kind: 'lease', makeStore: () => createMemoryStore() });
 */
export function describeStoreConformance<Tx = undefined>(options: StoreConformanceOptions<Tx>): void {
  const { describe, it, name } = options;
  const concurrency = options.concurrency ?? 50;
  // In a transactional store a second claim waits up to the lock timeout; in a lease store
  // it answers at once.
  const waitMs = options.kind === 'transactional' ? options.lockTimeoutMs : 0;

  /** Runs `body` with a fresh store, closing it afterwards whatever happened. */
  const withStore = async (body: (store: WebhookStore<Tx>) => Promise<void>) => {
    const store = await options.makeStore();
    try {
      await body(store);
    } finally {
      await store.close?.();
    }
  };

  describe(`${name} conforms to the WebhookStore contract`, () => {
    it('claims a key once: a second claim while it is held answers in_progress', () =>
      withStore(async (store) => {
        const key = storeKey();
        const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
        const second = await settleWithin(store.claim(key, { leaseMs: 5000 }), waitMs + 10_000);
        assert.deepEqual(second, { state: 'in_progress' });
        await store.release(key, token);
      }));

    it('answers completed once complete() ran', () =>
      withStore(async (store) => {
        const key = storeKey();
        const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
        await store.complete(key, token, { ttlMs: 60_000 });
        assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'completed' });
      }));

    it('frees the key on release(), so the redelivery can claim it', () =>
      withStore(async (store) => {
        const key = storeKey();
        const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
        await store.release(key, token);
        const again = claimedToken(await store.claim(key, { leaseMs: 5000 }), 'the claim after release');
        await store.complete(key, again, { ttlMs: 60_000 });
      }));

    it(`gives exactly one of ${concurrency} concurrent claims; the rest never run the handler`, () =>
      withStore(async (store) => {
        const key = storeKey();
        // The winner completes at once; the others answer in_progress (lease) or wait for
        // its commit and then answer completed (transactional). None may fail.
        const claims = Array.from({ length: concurrency }, async () => {
          const result = await store.claim(key, { leaseMs: 5000 });
          if (result.state === 'claimed') await store.complete(key, result.token, { ttlMs: 60_000 });
          return result.state;
        });
        const states = await settleWithin(Promise.all(claims), waitMs * concurrency + 20_000);
        assert.equal(states.filter((s) => s === 'claimed').length, 1, `states: ${states.join(', ')}`);
        assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'completed' });
      }));

    it('keeps keys apart: completing one leaves another claimable', () =>
      withStore(async (store) => {
        const [a, b] = [storeKey(), storeKey()];
        const tokenA = claimedToken(await store.claim(a, { leaseMs: 5000 }));
        await store.complete(a, tokenA, { ttlMs: 60_000 });
        const tokenB = claimedToken(await store.claim(b, { leaseMs: 5000 }), 'the other key');
        await store.release(b, tokenB);
      }));

    if (options.kind === 'lease') leaseTests(it, withStore);
    else transactionalTests(it, withStore, options);
    receiverTests(it, withStore, options);
  });
}
