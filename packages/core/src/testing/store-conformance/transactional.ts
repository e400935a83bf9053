/**
 * The transactional part of the store conformance suite: a concurrent claim waits for the
 * holder's transaction, and the claim's `tx` commits or rolls back with the dedupe record.
 */
import assert from 'node:assert/strict';
import type { ConformanceRunner } from '../conformance-runner.js';
import { claimedToken, settleWithin, stillPending, storeKey, type WithStore } from './support.js';
import type { TransactionalStoreConformanceOptions } from './types.js';

/** The `tx` of a claim the test asserted was claimed. */
const txOf = <Tx>(result: unknown): Tx => (result as { tx: Tx }).tx;

/**
 * Declares the transactional tests. A waiting claim is checked to be still waiting after a
 * short while (a quarter of the lock timeout, at most 250 ms), never to finish within a
 * tight bound: only the lower bound of the lock timeout is asserted (minus 50 ms of timer
 * slack), so a loaded machine cannot fail them.
 */
export function transactionalTests<Tx>(
  it: ConformanceRunner['it'],
  withStore: WithStore<Tx>,
  options: TransactionalStoreConformanceOptions<Tx>,
): void {
  const { lockTimeoutMs, write, isCommitted } = options;
  const glance = Math.min(250, Math.floor(lockTimeoutMs / 4));
  const bound = lockTimeoutMs + 10_000;

  it('makes a concurrent claim wait for the holder, then answer completed after its commit', () =>
    withStore(async (store) => {
      const key = storeKey();
      const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
      const waiting = store.claim(key, { leaseMs: 5000 });
      assert.equal(await stillPending(waiting, glance), true, 'the second claim should wait');
      await store.complete(key, token, { ttlMs: 60_000 });
      assert.deepEqual(await settleWithin(waiting, bound), { state: 'completed' });
    }));

  it('makes a concurrent claim wait for the holder, then claim the key after its rollback', () =>
    withStore(async (store) => {
      const key = storeKey();
      const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
      const waiting = store.claim(key, { leaseMs: 5000 });
      assert.equal(await stillPending(waiting, glance), true, 'the second claim should wait');
      await store.release(key, token);
      const second = claimedToken(await settleWithin(waiting, bound), 'the waiting claim');
      await store.complete(key, second, { ttlMs: 60_000 });
      assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'completed' });
    }));

  it('answers in_progress once the lock timeout passed; the holder still commits', () =>
    withStore(async (store) => {
      const key = storeKey();
      const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
      const started = Date.now();
      assert.deepEqual(await settleWithin(store.claim(key, { leaseMs: 5000 }), bound), {
        state: 'in_progress',
      });
      const waited = Date.now() - started;
      assert.ok(waited >= lockTimeoutMs - 50, `gave up after ${waited} ms, before the lock timeout`);
      await store.complete(key, token, { ttlMs: 60_000 });
      assert.deepEqual(await store.claim(key, { leaseMs: 5000 }), { state: 'completed' });
    }));

  it('hands a usable tx: its writes vanish on release and commit on complete', () =>
    withStore(async (store) => {
      const key = storeKey();
      const [dropped, kept] = [`${key}:released`, `${key}:completed`];
      const first = await store.claim(key, { leaseMs: 5000 });
      const firstToken = claimedToken(first);
      await write(txOf<Tx>(first), dropped);
      await store.release(key, firstToken);
      assert.equal(await isCommitted(dropped), false, 'a released claim kept its write');

      const second = await store.claim(key, { leaseMs: 5000 });
      const secondToken = claimedToken(second, 'the claim after release');
      await write(txOf<Tx>(second), kept);
      await store.complete(key, secondToken, { ttlMs: 60_000 });
      assert.equal(await isCommitted(kept), true, 'a completed claim lost its write');
      assert.equal(await isCommitted(dropped), false);
    }));

  it('keeps nothing of a claim that gave up on the lock timeout', () =>
    withStore(async (store) => {
      const key = storeKey();
      const token = claimedToken(await store.claim(key, { leaseMs: 5000 }));
      const late = await settleWithin(store.claim(key, { leaseMs: 5000 }), bound);
      assert.deepEqual(late, { state: 'in_progress' });
      // The holder rolls back: the key is free again, so the one who gave up left no record.
      await store.release(key, token);
      const again = claimedToken(await store.claim(key, { leaseMs: 5000 }), 'the claim after rollback');
      await store.release(key, again);
    }));
}
