// The scheduler on a fake clock: time moves only when the test says so, while the
// retrieves go to a real local §1b server and the handlers run for real.
import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import type { SessionServer } from '../testing/peers/session-server.js';
import { createReconciler } from './create-reconciler.js';
import { realWait, reconcilerHarness, until } from './test-support/harness.js';
import { sessionServerFixture } from './test-support/session-fixture.js';

let pasis: SessionServer;
const ids = sessionServerFixture('sess_sched', (server) => {
  pasis = server;
});

/** Resolves when `promise` settles, or reports that it did not within `ms` of real time. */
const settledWithin = (promise: Promise<unknown>, ms: number) =>
  Promise.race([promise.then(() => true), realWait(ms).then(() => false)]);

describe('start() / stop()', () => {
  it('runs every `every` ms from the end of the previous run, never two at once', async () => {
    const h = reconcilerHarness(pasis);
    h.open.push(...ids(2, 'open'));
    h.reconciler.start({ everyMs: 1_000, olderThanMs: 0 });
    expect(h.reconciler.started).toBe(true);
    h.clock.advance(999);
    expect(h.listings()).toBe(0);
    const release = pasis.hold(); // the first run is slow
    h.clock.advance(1);
    await until(() => pasis.inFlight() === 2, 'the first run’s retrieves');
    expect(h.listings()).toBe(1);
    for (let i = 0; i < 10; i++) h.clock.advance(1_000); // ten ticks' worth of time
    await realWait(100);
    expect(h.listings()).toBe(1); // the slow run delayed the next tick instead of doubling it
    expect(h.clock.pending()).toBe(0);
    release();
    await until(() => !h.reconciler.running && h.clock.pending() === 1, 'the next tick to be armed');
    h.clock.advance(999);
    expect(h.listings()).toBe(1);
    h.clock.advance(1);
    expect(h.listings()).toBe(2);
    await h.reconciler.stop();
  });

  it('stop() waits for the run in flight, and nothing is retrieved after it', async () => {
    let finishHandler!: () => void;
    let handlerStarted = false;
    const h = reconcilerHarness(pasis, {
      concurrency: 1,
      onProcessed: () =>
        new Promise<void>((resolve) => {
          handlerStarted = true;
          finishHandler = resolve;
        }),
    });
    h.open.push(...ids(1, 'success'), ...ids(3, 'open'));
    h.reconciler.start({ everyMs: 1_000 });
    h.clock.advance(1_000);
    await until(() => handlerStarted, 'the handler to start');
    const asked = pasis.requested.length;
    const stopped = h.reconciler.stop();
    expect(await settledWithin(stopped, 200)).toBe(false); // still waiting for the handler
    expect(h.reconciler.started).toBe(false);
    finishHandler();
    expect(await settledWithin(stopped, 10_000)).toBe(true);
    expect(h.reconciler.running).toBe(false);
    for (let i = 0; i < 10; i++) h.clock.advance(1_000);
    await realWait(100);
    expect(pasis.requested.length).toBe(asked); // the three open ones were never asked about
    expect(h.clock.pending()).toBe(0);
    expect(h.handled).toHaveLength(1);
  });

  it('stop() aborts retrieves in flight and pauses rather than sitting them out', async () => {
    const h = reconcilerHarness(pasis, { concurrency: 2 });
    const sessions = ids(6, 'open');
    h.open.push(...sessions);
    pasis.fail(sessions[0]!, { kind: 'error', status: 500 });
    const release = pasis.hold();
    const run = h.reconciler.run();
    await until(() => pasis.inFlight() === 2, 'two retrieves in flight');
    expect(await settledWithin(h.reconciler.stop(), 10_000)).toBe(true);
    const summary = await run;
    expect(summary).toMatchObject({ listed: 6, skipped: 6, endedEarly: 'stopped' });
    expect(h.logger.lines.filter((l) => l.level === 'warn')).toEqual([]); // a stop is no trouble
    release();
  });

  it('every timer it sets is unref’d', async () => {
    const [limited] = ids(1, 'open');
    pasis.fail(limited!, { kind: 'rate_limited', retryAfterSec: 5 });
    const h = reconcilerHarness(pasis);
    h.open.push(limited!);
    h.reconciler.start({ everyMs: 1_000 });
    h.clock.advance(1_000);
    await until(() => h.clock.timers.length === 2, 'the pause timer');
    h.clock.advance(5_000);
    await until(() => h.clock.timers.length === 3, 'the next tick');
    expect(h.clock.timers.every((t) => t.unrefed)).toBe(true);
    await h.reconciler.stop();
  });

  it('a run whose sessions() throws is logged, and the schedule goes on', async () => {
    let calls = 0;
    const h = reconcilerHarness(pasis, {
      sessions: () => {
        if (++calls === 1) throw new Error('db down');
        return [];
      },
    });
    h.reconciler.start({ everyMs: 1_000 });
    h.clock.advance(1_000);
    await until(() => h.clock.pending() === 1, 'the next tick after the failure');
    expect(h.logger.lines.filter((l) => l.level === 'error')).toHaveLength(1);
    h.clock.advance(1_000);
    await until(() => h.logger.lines.some((l) => l.level === 'info'), 'the second run’s summary');
    expect(calls).toBe(2);
    await h.reconciler.stop();
  });

  it('start() twice is a config_error; start() after stop() works', async () => {
    const h = reconcilerHarness(pasis);
    h.reconciler.start();
    const error = (() => {
      try {
        h.reconciler.start();
      } catch (e) {
        return e;
      }
    })();
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(/^@pasis\/core: reconciler.start: already started/);
    await h.reconciler.stop();
    await h.reconciler.stop(); // twice is fine
    h.reconciler.start({ everyMs: 5_000 });
    h.clock.advance(5_000);
    expect(h.listings()).toBe(1);
    await h.reconciler.stop();
  });

  it('the real clock: a started reconciler does not keep the process alive', async () => {
    const h = reconcilerHarness(pasis);
    const reconciler = createReconciler({
      client: { checkout: { sessions: { retrieve: () => Promise.reject(new Error('never')) } } } as never,
      webhooks: h.webhooks,
      sessions: () => [],
    });
    const before = process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length;
    reconciler.start({ everyMs: 3_600_000 });
    // An unref'd timer is not an active resource that keeps the loop alive.
    expect(process.getActiveResourcesInfo().filter((r) => r === 'Timeout').length).toBe(before);
    await reconciler.stop();
  });
});
