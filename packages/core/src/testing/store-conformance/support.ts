/** Small helpers shared by the framework-neutral conformance suites. */
import assert from 'node:assert/strict';
import type { Awaitable, ClaimResult, WebhookStore } from '../../dedupe/store.js';
import { withTimeout } from '../../util/with-timeout.js';

let counter = 0;

/** A key no other test (in this process or another) uses: tests may share one backend. */
export function storeKey(): string {
  return `conformance:${process.pid}:${Date.now()}:${counter++}`;
}

/** Resolves after `ms`. */
export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/**
 * `promise`, or a rejection naming the wait once `ms` passed: a store that hangs fails its
 * test with a clear message instead of the runner's generic timeout.
 */
export function settleWithin<T>(promise: Awaitable<T>, ms: number, what = 'the store'): Promise<T> {
  return withTimeout(promise, ms, what);
}

/** Whether `promise` is still pending after `ms` (it keeps running either way). */
export async function stillPending(promise: Awaitable<unknown>, ms: number): Promise<boolean> {
  const pending = Symbol('pending');
  const first = await Promise.race([Promise.resolve(promise), sleep(ms).then(() => pending)]);
  return first === pending;
}

/** Asserts that `result` is a claim and returns its token. */
export function claimedToken(result: ClaimResult<unknown>, what = 'the claim'): string {
  assert.equal(result.state, 'claimed', `${what} should be claimed, got ${result.state}`);
  return (result as { token: string }).token;
}

/** Runs a test's body with a fresh store, closing it afterwards whatever happened. */
export type WithStore<Tx> = (body: (store: WebhookStore<Tx>) => Promise<void>) => Promise<void>;
