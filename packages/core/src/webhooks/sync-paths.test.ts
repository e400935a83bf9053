// Stores and handlers may answer synchronously (the default memory store does): core must
// treat a synchronous answer, a synchronous throw and a promise alike. Failing stores of
// both kinds are in handler.test.ts.
import { describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../dedupe/memory-store.js';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from './receiver.js';

const secret = generateWebhookSecret();
const event = createTestEvent();

async function deliver(webhooks: ReturnType<typeof createWebhookHandler>, id = 'msg_1') {
  const answer = await webhooks.handle(signWebhook(event, { secret, id }));
  return { status: answer.status, json: JSON.parse(answer.body) };
}

describe('the memory store answers synchronously', () => {
  it('returns values, not promises, from every method', () => {
    const store = createMemoryStore();
    const claim = store.claim('k', { leaseMs: 1000 });
    expect(claim).toEqual({ state: 'claimed', token: expect.any(String) });
    const { token } = claim as { token: string };
    expect(store.renew('k', token, 1000)).toBe(true);
    expect(store.complete('k', token, { ttlMs: 1000 })).toBeUndefined();
    expect(store.claim('k', { leaseMs: 1000 })).toEqual({ state: 'completed' });
    expect(store.renew('k', token, 1000)).toBe(false);
  });

  it('never hands out the same token twice', () => {
    const store = createMemoryStore();
    const tokens = new Set<string>();
    for (let i = 0; i < 1000; i++) {
      const claim = store.claim(`k${i % 10}`, { leaseMs: 1000 }) as { token?: string };
      if (claim.token) {
        tokens.add(claim.token);
        store.release(`k${i % 10}`, claim.token);
      }
    }
    expect(tokens.size).toBe(1000);
  });
});

describe('handlers, synchronous and asynchronous', () => {
  it('runs every handler of a kind in order, each after the previous one settled', async () => {
    const order: string[] = [];
    const later = (name: string) => () =>
      new Promise<void>((r) => setTimeout(() => r(void order.push(name)), 5));
    const now = (name: string) => () => void order.push(name);
    const webhooks = createWebhookHandler({
      secret,
      on: { 'session:processed': [now('a'), later('b'), now('c'), later('d')] },
      logger: silentLogger,
    });
    expect((await deliver(webhooks)).json).toEqual({ ok: true, outcome: 'handled' });
    expect(order).toEqual(['a', 'b', 'c', 'd']);
  });

  it.each([
    [
      'throws',
      () => {
        throw new Error('boom');
      },
    ],
    ['rejects', () => Promise.reject(new Error('boom'))],
  ])(
    'a handler that %s → 500; the ones after it do not run; the redelivery runs again',
    async (_, failing) => {
      const after = vi.fn();
      let fail = true;
      const webhooks = createWebhookHandler({
        secret,
        on: { 'session:processed': [() => (fail ? failing() : undefined), after] },
        logger: silentLogger,
      });
      expect((await deliver(webhooks)).status).toBe(500);
      expect(after).not.toHaveBeenCalled();
      fail = false;
      expect((await deliver(webhooks)).status).toBe(200);
      expect(after).toHaveBeenCalledTimes(1);
    },
  );

  it('answers a duplicate of a synchronous delivery without running anything', async () => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({ secret, on: handler, logger: silentLogger });
    await deliver(webhooks);
    expect((await deliver(webhooks)).json.outcome).toBe('duplicate');
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
