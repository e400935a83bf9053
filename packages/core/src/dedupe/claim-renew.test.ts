// The claim runner holds a lease for renewal only once the work returned a promise (claim.ts):
// a synchronous run cannot see a renewal tick anyway. Both paths must come to the general
// path's verdict: the same answers, and every run that outlives a tick renewed.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import { createMemoryStore } from './memory-store.js';
import type { WebhookStore } from './store.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const deliver = (webhooks: ReturnType<typeof createWebhookHandler>) =>
  webhooks.handle(signWebhook(event, { secret, id: 'msg_renew' }));

/** The memory store, with `renew` counted and, optionally, each claim run inside `run`. */
function countingStore(run?: <T>(fn: () => T) => T) {
  const store = createMemoryStore();
  const renew = vi.fn(store.renew);
  const wrapped: WebhookStore = {
    claim: (key, options) => {
      const claim = store.claim(key, options);
      return claim.state === 'claimed' && run ? { ...claim, run } : claim;
    },
    renew,
    complete: store.complete,
    release: store.release,
  };
  return { store: wrapped, renew };
}

describe('lease renewal, held only while the work is asynchronous', () => {
  beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval', 'Date'] }));
  afterEach(() => vi.useRealTimers());

  it.each([
    ['returns', () => undefined, 200],
    [
      'throws',
      () => {
        throw new Error('boom');
      },
      500,
    ],
  ])('a synchronous handler that %s: the same answer, nothing left to renew', async (_, on, status) => {
    const { store, renew } = countingStore();
    const webhooks = createWebhookHandler({ secret, on, store, leaseMs: 60, logger: silentLogger });
    expect((await deliver(webhooks)).status).toBe(status);
    await vi.advanceTimersByTimeAsync(500);
    expect(renew).not.toHaveBeenCalled();
    // Completed (200: a duplicate now) or released (500: run again, not 409 in progress).
    expect((await deliver(webhooks)).status).toBe(status);
  });

  const later = (): Promise<void> => new Promise((r) => setTimeout(r, 250));
  // A transactional store's run: the work is synchronous, the run around it is not.
  const slowRun = <T>(fn: () => T): T => later().then(fn) as T;
  it.each<[string, (<T>(fn: () => T) => T) | undefined, () => unknown]>([
    ['an asynchronous handler', undefined, later],
    ["a store's asynchronous run", slowRun, () => undefined],
  ])('%s is renewed until it ends, then no more', async (_, run, on) => {
    const { store, renew } = countingStore(run);
    const webhooks = createWebhookHandler({ secret, on, store, leaseMs: 60, logger: silentLogger });
    const first = deliver(webhooks);
    await vi.advanceTimersByTimeAsync(150);
    expect(renew).toHaveBeenCalled();
    expect((await deliver(webhooks)).status).toBe(409);
    await vi.advanceTimersByTimeAsync(150);
    expect((await first).status).toBe(200);
    const renewed = renew.mock.calls.length;
    await vi.advanceTimersByTimeAsync(500);
    expect(renew).toHaveBeenCalledTimes(renewed);
  });
});
