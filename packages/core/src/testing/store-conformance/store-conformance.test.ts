import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../../dedupe/memory-store.js';
import type { WebhookStore } from '../../dedupe/store.js';
import type { ConformanceRunner } from '../conformance-runner.js';
import { describeStoreConformance } from './describe.js';

describeStoreConformance({
  describe,
  it,
  name: 'createMemoryStore',
  kind: 'lease',
  makeStore: createMemoryStore,
});

/**
 * Runs the suite with a tiny runner of its own (no vitest inside) and returns the names of
 * the tests that failed: the suite needs nothing but a describe and an it.
 */
async function failuresOf(makeStore: () => WebhookStore): Promise<string[]> {
  const tests: { name: string; fn: () => Promise<void> }[] = [];
  const runner: ConformanceRunner = {
    describe: (_name, fn) => fn(),
    it: (name, fn) => tests.push({ name, fn }),
  };
  describeStoreConformance({ ...runner, name: 'broken', kind: 'lease', makeStore, concurrency: 10 });
  const failed: string[] = [];
  for (const test of tests) await test.fn().catch(() => failed.push(test.name));
  return failed;
}

describe('the store conformance suite', () => {
  it('fails a store that hands out every claim', async () => {
    let token = 0;
    const failed = await failuresOf(() => ({
      ...createMemoryStore(),
      claim: () => ({ state: 'claimed', token: String(++token) }),
    }));
    expect(failed).toContain('claims a key once: a second claim while it is held answers in_progress');
    expect(failed.some((name) => name.startsWith('gives exactly one of 10 concurrent claims'))).toBe(true);
  });

  it('fails a store whose release keeps the key, and one that forgets completed keys', async () => {
    const keeps = await failuresOf(() => ({ ...createMemoryStore(), release: () => {} }));
    expect(keeps).toContain('frees the key on release(), so the redelivery can claim it');
    const forgets = await failuresOf(() => {
      const memory = createMemoryStore();
      return { ...memory, complete: (key, token) => memory.release(key, token) };
    });
    expect(forgets).toContain('answers completed once complete() ran');
  });

  it('passes the memory store under its own runner too', async () => {
    expect(await failuresOf(() => createMemoryStore())).toEqual([]);
  });
});
