import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import type { SessionServer } from '../testing/peers/session-server.js';
import { drive, realWait, reconcilerHarness, until } from './test-support/harness.js';
import { sessionServerFixture } from './test-support/session-fixture.js';

let pasis: SessionServer;
const ids = sessionServerFixture('sess_run', (server) => {
  pasis = server;
});

describe('run(): what it does and counts', () => {
  it('settles ended sessions through the handlers, leaves open ones, counts unknown ones', async () => {
    const h = reconcilerHarness(pasis);
    const [paid] = ids(1, 'success');
    const [cancelled] = ids(1, 'cancelled');
    const [open] = ids(1, 'open');
    pasis.set(paid!, 'success', 7300);
    h.open.push(paid!, { session_id: cancelled! }, open!, 'sess_nobody_made', paid!);
    const summary = await h.reconciler.run();
    expect(summary).toMatchObject({
      listed: 4,
      checked: 4,
      handled: 2,
      duplicate: 0,
      stillOpen: 1,
      unknown: 1,
      inProgress: 0,
      failed: 0,
      skipped: 0,
      retries: 0,
      unknownSessions: ['sess_nobody_made'],
      failures: [],
    });
    expect(summary.endedEarly).toBeUndefined();
    expect(h.handled.map((r) => [r.event.session_id, r.event.status, r.event.amount])).toEqual([
      [paid, 'success', 7300],
      [cancelled, 'cancelled', 5000],
    ]);
    expect(h.handled[0]!.ctx).toMatchObject({
      source: 'reconcile',
      deliveryId: `reconcile:${paid}`,
      confirmed: true,
      verified: false,
    });
    // One line for the run: warn, since a session is unknown to Pasis.
    const lines = h.logger.lines.filter((l) => l.level !== 'debug');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: 'warn' });
    expect(lines[0]!.message).toMatch(
      /^Pasis reconcile: 4 listed, 2 handled, 0 duplicate, 1 still open, 1 unknown/,
    );
  });

  it('a second run finds them duplicate; a clean run logs at info', async () => {
    const h = reconcilerHarness(pasis);
    h.open.push(...ids(2, 'success'));
    expect(await h.reconciler.run()).toMatchObject({ handled: 2 });
    expect(await h.reconciler.run()).toMatchObject({ handled: 0, duplicate: 2 });
    expect(h.handled).toHaveLength(2);
    expect(h.logger.lines.filter((l) => l.level === 'info')).toHaveLength(2);
  });

  it('takes async iterables, { session_id } rows, drops repeats and counts junk as failed', async () => {
    const [a, b] = ids(2, 'open');
    const h = reconcilerHarness(pasis, {
      sessions: async function* ({ olderThanMs, olderThan, before }) {
        expect(olderThanMs).toBe(5_000);
        expect(olderThan).toBe(5_000); // the deprecated name still says it
        expect(before.getTime()).toBe(Date.parse('2025-09-11T09:00:00Z') - 5_000);
        yield a!;
        yield { session_id: b! };
        yield a!;
        yield 42 as unknown as string;
      },
    });
    expect(await h.reconciler.run({ olderThanMs: 5_000 })).toMatchObject({
      listed: 3,
      stillOpen: 2,
      failed: 1,
    });
  });

  it('rejects with the app’s own error when sessions() fails, and config_error for a non-list', async () => {
    const boom = new Error('db down');
    const failing = reconcilerHarness(pasis, { sessions: () => Promise.reject(boom) });
    await expect(failing.reconciler.run()).rejects.toBe(boom);
    expect(failing.reconciler.running).toBe(false);
    const wrong = reconcilerHarness(pasis, { sessions: () => 'sess_1' as unknown as string[] });
    const error = await wrong.reconciler.run().catch((e: unknown) => e);
    expect(isPasisError(error, 'config_error')).toBe(true);
  });

  it('a run called during a run joins it', async () => {
    const h = reconcilerHarness(pasis);
    h.open.push(...ids(3, 'open'));
    const release = pasis.hold();
    const first = h.reconciler.run();
    const second = h.reconciler.run({ olderThanMs: 0 });
    expect(second).toBe(first);
    expect(h.reconciler.running).toBe(true);
    release();
    expect(await second).toMatchObject({ stillOpen: 3 });
    expect(h.listings()).toBe(1);
    expect(h.reconciler.running).toBe(false);
  });

  it('an aborted signal ends the run before anything is retrieved', async () => {
    const h = reconcilerHarness(pasis);
    h.open.push(...ids(3, 'success'));
    const before = pasis.requested.length;
    const summary = await h.reconciler.run({ signal: AbortSignal.abort() });
    expect(summary).toMatchObject({ listed: 3, skipped: 3, endedEarly: 'stopped' });
    expect(pasis.requested.length).toBe(before);
    expect(h.handled).toHaveLength(0);
  });
});

describe('run(): bounded concurrency', () => {
  it('never has more than `concurrency` retrieves in flight', async () => {
    const h = reconcilerHarness(pasis, { concurrency: 3 });
    h.open.push(...ids(12, 'open'));
    const before = pasis.requested.length;
    const release = pasis.hold();
    const pending = h.reconciler.run();
    await until(() => pasis.inFlight() === 3, 'three retrieves in flight');
    await realWait(150); // a wide margin for a fourth one to show up, were it sent
    expect(pasis.inFlight()).toBe(3);
    expect(pasis.requested.length - before).toBe(3);
    release();
    expect(await pending).toMatchObject({ listed: 12, stillOpen: 12 });
    expect(pasis.maxInFlight()).toBeLessThanOrEqual(3);
  });
});

describe('run(): failures, pauses and retries', () => {
  it('an error on one session never stops the others', async () => {
    const [down, throws, fine, junk] = ids(4, 'success');
    pasis.fail(down!, ...Array.from({ length: 10 }, () => ({ kind: 'error', status: 500 }) as const));
    const h = reconcilerHarness(pasis, {
      concurrency: 2,
      onProcessed: (event) => {
        if (event.session_id === throws) throw new Error('db write failed');
      },
    });
    h.open.push(down!, throws!, 'sess_nobody_made', 'bad id', fine!, junk!);
    const summary = await drive(h.clock, h.reconciler.run());
    expect(summary).toMatchObject({ listed: 6, handled: 2, unknown: 1, failed: 3, retries: 2, skipped: 0 });
    expect(summary.failures.map((f) => [f.sessionId, f.code])).toEqual(
      expect.arrayContaining([
        [down, 'api_error'],
        [throws, 'handler_failed'],
        ['bad id', 'validation_error'],
      ]),
    );
    expect(pasis.requested.filter((id) => id === down)).toHaveLength(3); // maxAttempts
    expect(h.handled.map((r) => r.event.session_id).sort()).toEqual([fine, junk, throws].sort());
  });

  it('pauses the whole run for Retry-After, then retries the session in the same run', async () => {
    const [limited, other] = ids(2, 'success');
    pasis.fail(limited!, { kind: 'rate_limited', retryAfterSec: 2 });
    const h = reconcilerHarness(pasis, { concurrency: 1 });
    h.open.push(limited!, other!);
    const pending = h.reconciler.run();
    await until(() => h.clock.pending() === 1, 'the pause');
    h.clock.advance(1_999);
    await realWait(100);
    expect(pasis.requested.filter((id) => id === other)).toHaveLength(0); // paused: nobody asks
    // Then the refused session first, and the other at the pace the refusal cut to.
    const summary = await drive(h.clock, pending, 100);
    expect(summary).toMatchObject({ handled: 2, retries: 1, failed: 0, refused: 1, deferred: 0 });
    expect(pasis.requested.filter((id) => id === limited || id === other)).toEqual([limited, limited, other]);
    expect(pasis.requested.filter((id) => id === limited)).toHaveLength(2);
  });

  it('a rate limit longer than maxPauseMs ends the run; the rest is left for the next one', async () => {
    const sessions = ids(4, 'open');
    pasis.fail(sessions[0]!, { kind: 'rate_limited', retryAfterSec: 120 });
    const h = reconcilerHarness(pasis, { concurrency: 1, client: { maxRetryAfterMs: 300_000 } });
    h.open.push(...sessions);
    const summary = await drive(h.clock, h.reconciler.run());
    // Never failed for a rate limit: the refused session and the rest wait for the next run.
    expect(summary).toMatchObject({ listed: 4, failed: 0, deferred: 4, skipped: 0, refused: 1 });
    expect(summary).toMatchObject({ endedEarly: 'rate_limited', failures: [] });
  });

  it('a setup error (the wrong app id) ends the run instead of failing every session alike', async () => {
    const h = reconcilerHarness(pasis, { concurrency: 1, client: { appId: 'app_typo' } });
    h.open.push(...ids(5, 'success'));
    const summary = await h.reconciler.run();
    expect(summary).toMatchObject({ failed: 1, skipped: 4, endedEarly: 'setup_error' });
    expect(summary.failures[0]?.code).toBe('unknown_app');
  });

  it('a reset or a 503 is retried after a backoff pause', async () => {
    const [flaky] = ids(1, 'cancelled');
    pasis.fail(flaky!, { kind: 'reset' }, { kind: 'error', status: 503 });
    const h = reconcilerHarness(pasis);
    h.open.push(flaky!);
    expect(await drive(h.clock, h.reconciler.run())).toMatchObject({ handled: 1, retries: 2 });
  });
});
