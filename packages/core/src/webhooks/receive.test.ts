import { describe, expect, it } from 'vitest';
import { createMemoryStore } from '../dedupe/memory-store.js';
import type { ClaimResult, WebhookStore } from '../dedupe/store.js';
import type { SessionProcessedEvent } from '../events/types.js';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from './receiver.js';
import type { WebhookContext } from './types.js';

const secret = generateWebhookSecret();
const paid: SessionProcessedEvent = createTestEvent({ session_id: 'sess_r' });

/**
 * A transactional store in memory: a claim opens a "transaction" that collects writes,
 * complete commits them to `committed`, release drops them. What @pasis/postgres does with
 * a real database, small enough to check core's side of the seam.
 */
function transactionalStore() {
  const committed: string[] = [];
  const done = new Set<string>();
  const open = new Map<string, { writes: string[] }>();
  let token = 0;
  const store: WebhookStore<{ writes: string[] }> = {
    claim(key): ClaimResult<{ writes: string[] }> {
      if (done.has(key)) return { state: 'completed' };
      if (open.has(key)) return { state: 'in_progress' };
      const tx = { writes: [] as string[] };
      open.set(key, tx);
      return { state: 'claimed', token: String(++token), tx };
    },
    complete(key) {
      committed.push(...(open.get(key)?.writes ?? []));
      open.delete(key);
      done.add(key);
    },
    release(key) {
      open.delete(key);
    },
  };
  return { store, committed };
}

describe('receive() and the delivery context', () => {
  it('tells handlers where the event came from', async () => {
    const seen: WebhookContext[] = [];
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: { 'session:processed': (_e, ctx) => void seen.push(ctx) },
    });
    const delivery = signWebhook(paid, { secret, id: 'msg_ctx' });
    expect((await webhooks.handle(delivery)).status).toBe(200);
    const other = { ...paid, session_id: 'sess_other' };
    expect(
      await webhooks.receive(other, {
        source: 'reconcile',
        deliveryId: 'reconcile:sess_other',
        confirmed: true,
      }),
    ).toEqual({ ok: true, outcome: 'handled' });
    expect(seen).toMatchObject([
      { source: 'webhook', deliveryId: 'msg_ctx', verified: true, confirmed: false, tx: undefined },
      { source: 'reconcile', deliveryId: 'reconcile:sess_other', verified: false, confirmed: true },
    ]);
    expect(seen[0]!.timestamp).toBeInstanceOf(Date);
    expect(seen[1]!.timestamp).toBeUndefined();
  });

  it('dedupes a session outcome across the webhook and the reconciler, whichever comes first', async () => {
    let runs = 0;
    const webhooks = createWebhookHandler({ secret, logger: silentLogger, on: () => void runs++ });
    const meta = { source: 'reconcile', deliveryId: 'reconcile:sess_r' } as const;
    expect(await webhooks.receive(paid, meta)).toEqual({ ok: true, outcome: 'handled' });
    // The late webhook, and a redelivery under a fresh id, change nothing.
    for (const id of ['msg_late', 'msg_fresh']) {
      const answer = await webhooks.handle(signWebhook(paid, { secret, id }));
      expect(JSON.parse(answer.body)).toEqual({ ok: true, outcome: 'duplicate' });
    }
    expect(await webhooks.receive(paid, meta)).toEqual({ ok: true, outcome: 'duplicate' });
    expect(runs).toBe(1);
  });

  it('answers in_progress to the reconciler while the webhook is still running', async () => {
    let release!: () => void;
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      store: createMemoryStore(),
      on: () => new Promise<void>((resolve) => (release = resolve)),
    });
    const first = webhooks.handle(signWebhook(paid, { secret, id: 'msg_slow' }));
    await new Promise((resolve) => setImmediate(resolve));
    const meanwhile = await webhooks.receive(paid, { source: 'reconcile', deliveryId: 'reconcile:sess_r' });
    expect(meanwhile).toMatchObject({ ok: false, code: 'in_progress' });
    release();
    expect((await first).status).toBe(200);
  });

  it('reports a failing handler without rejecting, and runs it again next time', async () => {
    let calls = 0;
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: () => {
        if (++calls === 1) throw new Error('db down');
      },
    });
    const meta = { source: 'reconcile', deliveryId: 'reconcile:sess_r' } as const;
    expect(await webhooks.receive(paid, meta)).toMatchObject({ ok: false, code: 'handler_failed' });
    expect(await webhooks.receive(paid, meta)).toEqual({ ok: true, outcome: 'handled' });
    expect(calls).toBe(2);
  });

  it("hands a transactional store's tx to the handlers; a throw rolls its writes back", async () => {
    const { store, committed } = transactionalStore();
    let fail = true;
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      store,
      on: {
        'session:processed': (event, ctx) => {
          ctx.tx.writes.push(`paid ${event.session_id} by ${ctx.deliveryId}`);
          if (fail) throw new Error('crash before commit');
        },
      },
    });
    const delivery = signWebhook(paid, { secret, id: 'msg_tx' });
    expect((await webhooks.handle(delivery)).status).toBe(500);
    expect(committed).toEqual([]);
    fail = false;
    expect((await webhooks.handle(delivery)).status).toBe(200);
    expect((await webhooks.handle(delivery)).status).toBe(200);
    expect(committed).toEqual(['paid sess_r by msg_tx']);
  });
});
