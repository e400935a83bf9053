// check() for a return page, and the webhook and the reconciler racing for one session:
// real signed deliveries through webhooks.handle, real retrieves, one shared memory store.
import { describe, expect, it } from 'vitest';
import { signWebhook } from '../testing/index.js';
import type { SessionServer } from '../testing/peers/session-server.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { realWait, reconcilerHarness, until } from './test-support/harness.js';
import { sessionServerFixture } from './test-support/session-fixture.js';

let pasis: SessionServer;
const ids = sessionServerFixture('sess_check', (server) => {
  pasis = server;
});
const newSession = (status: 'open' | 'success' | 'cancelled', amount = 5000) => ids(1, status, amount)[0]!;
const processed = (id: string, amount = 5000) => createTestEvent({ session_id: id, amount });

/** A handler that waits until the test lets it finish. */
function gate() {
  let open!: () => void;
  let entered = 0;
  const done = new Promise<void>((resolve) => (open = resolve));
  return {
    handler: async () => {
      entered++;
      await done;
    },
    release: () => open(),
    entered: () => entered,
  };
}

describe('check(): one session now', () => {
  it('reports an open session, then settles it once it has ended, then duplicate', async () => {
    const h = reconcilerHarness(pasis);
    const id = newSession('open', 4200);
    expect(await h.reconciler.check(id)).toMatchObject({ outcome: 'open', status: 'open', sessionId: id });
    pasis.set(id, 'success', 4200);
    const settled = await h.reconciler.check(id);
    expect(settled).toMatchObject({ outcome: 'handled', status: 'success', session: { amount: 4200 } });
    expect(await h.reconciler.check(id)).toMatchObject({ outcome: 'duplicate', status: 'success' });
    expect(h.handled).toHaveLength(1);
  });

  it('unknown and failed are results, never rejections', async () => {
    const h = reconcilerHarness(pasis);
    expect(await h.reconciler.check('sess_nobody_made')).toEqual({
      outcome: 'unknown',
      sessionId: 'sess_nobody_made',
    });
    expect(await h.reconciler.check('')).toMatchObject({
      outcome: 'failed',
      error: { code: 'validation_error' },
    });
    const down = newSession('success');
    pasis.fail(down, { kind: 'error', status: 500 });
    expect(await h.reconciler.check(down)).toMatchObject({
      outcome: 'failed',
      error: { code: 'api_error', status: 500 },
    });
    expect(h.handled).toHaveLength(0);
  });

  it('a failing handler is reported with the status Pasis gave, and runs again next time', async () => {
    let calls = 0;
    const h = reconcilerHarness(pasis, {
      onProcessed: () => {
        if (++calls === 1) throw new Error('db down');
      },
    });
    const id = newSession('success');
    expect(await h.reconciler.check(id)).toMatchObject({
      outcome: 'failed',
      status: 'success',
      error: { code: 'handler_failed' },
    });
    expect(await h.reconciler.check(id)).toMatchObject({ outcome: 'handled' });
    expect(calls).toBe(2);
  });

  it('concurrent checks of one session share one retrieve (a page polled from many tabs)', async () => {
    const h = reconcilerHarness(pasis);
    const id = newSession('open');
    const release = pasis.hold();
    const checks = [h.reconciler.check(id), h.reconciler.check(id), h.reconciler.check(id)];
    await until(() => pasis.inFlight() === 1, 'the retrieve');
    release();
    const results = await Promise.all(checks);
    expect(results.every((r) => r.outcome === 'open')).toBe(true);
    expect(pasis.requested.filter((r) => r === id)).toHaveLength(1);
  });
});

describe('the webhook and the reconciler: one run of the handlers per session outcome', () => {
  it('a late webhook (a real signed delivery) after the reconciler settled → 200 duplicate', async () => {
    const h = reconcilerHarness(pasis);
    const id = newSession('success');
    h.open.push(id);
    expect(await h.reconciler.run()).toMatchObject({ handled: 1 });
    const late = await h.webhooks.handle(signWebhook(processed(id), { secret: h.secret, id: 'msg_late' }));
    expect([late.status, JSON.parse(late.body)]).toEqual([200, { ok: true, outcome: 'duplicate' }]);
    expect(h.handled.map((r) => r.ctx.source)).toEqual(['reconcile']);
  });

  it('the webhook first, the reconciler during it → in progress; after it → duplicate', async () => {
    const slow = gate();
    const h = reconcilerHarness(pasis, { onProcessed: slow.handler });
    const id = newSession('success');
    h.open.push(id);
    const delivery = h.webhooks.handle(signWebhook(processed(id), { secret: h.secret, id: 'msg_first' }));
    await until(() => slow.entered() === 1, 'the webhook handler');
    expect(await h.reconciler.run()).toMatchObject({ inProgress: 1, handled: 0, failed: 0 });
    slow.release();
    expect((await delivery).status).toBe(200);
    expect(await h.reconciler.run()).toMatchObject({ duplicate: 1 });
    expect(h.handled.map((r) => r.ctx.source)).toEqual(['webhook']);
  });

  it('the reconciler first, the webhook during it → 409 (retried), after it → duplicate', async () => {
    const slow = gate();
    const h = reconcilerHarness(pasis, { onProcessed: slow.handler });
    const id = newSession('success');
    const checking = h.reconciler.check(id);
    await until(() => slow.entered() === 1, 'the reconcile handler');
    const during = await h.webhooks.handle(
      signWebhook(processed(id), { secret: h.secret, id: 'msg_during' }),
    );
    expect(during.status).toBe(409);
    slow.release();
    expect(await checking).toMatchObject({ outcome: 'handled' });
    const retry = await h.webhooks.handle(signWebhook(processed(id), { secret: h.secret, id: 'msg_during' }));
    expect(JSON.parse(retry.body)).toEqual({ ok: true, outcome: 'duplicate' });
    expect(slow.entered()).toBe(1);
  });

  it('both at the same moment, many times over → the handler runs once per session', async () => {
    const h = reconcilerHarness(pasis, { onProcessed: () => realWait(5) });
    const sessions = Array.from({ length: 10 }, () => newSession('cancelled'));
    h.open.push(...sessions);
    const deliveries = sessions.map((id) =>
      h.webhooks.handle(signWebhook({ ...processed(id), status: 'cancelled' }, { secret: h.secret })),
    );
    const summary = await h.reconciler.run();
    const answers = await Promise.all(deliveries);
    expect(summary.handled + summary.duplicate + summary.inProgress).toBe(10);
    // A delivery that met the reconciler mid-handler got 409; its retry is a duplicate.
    expect(answers.every((a) => a.status === 200 || a.status === 409)).toBe(true);
    expect(new Set(h.handled.map((r) => r.event.session_id)).size).toBe(10);
    expect(h.handled).toHaveLength(10);
  });
});
