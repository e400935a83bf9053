/**
 * The reconciler draining a backlog against the sandbox itself with `--rate-limit` (its
 * sliding second): it finds the limit from the 429s, settles every paid session, defers and
 * fails none, and every refusal it counts is one the sandbox counted; under a ceiling below
 * the limit it is never refused. Three reconcilers sharing one lease and the one limit (a
 * fleet, each pacing itself alone) settle every paid session once, deferring none. Sessions
 * are read a page at a time by cursor. No timing is asserted: the machine is shared.
 */
import {
  createPasisClient,
  createReconciler,
  createWebhookHandler,
  type PasisLogger,
  silentLogger,
} from '@pasis/core';
import type { ReconcileLease } from '@pasis/core/adapter';
import { createMemoryReconcileLease, generateWebhookSecret } from '@pasis/core/testing';
import { createSandbox, type Sandbox } from '@pasis/sandbox';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const RATE_LIMIT = 20;
const PAGE_SIZE = 25;
/** Waits until the requests sent so far have left the sandbox's sliding second. */
const leaveTheWindow = () => new Promise((resolve) => setTimeout(resolve, 1_100));

describe('the reconciler against the rate-limited sandbox', () => {
  let sandbox: Sandbox;
  let appId: string;
  const open: string[] = [];
  const paid: string[] = [];

  beforeAll(async () => {
    // Seeded without a limit (the sandbox's store directly: the limit counts HTTP requests).
    sandbox = createSandbox({ rateLimit: RATE_LIMIT, retrySchedule: [], webhook: 'lose' });
    const url = await sandbox.listen(0, '127.0.0.1');
    appId = sandbox.registerApp({
      name: 'Backlog shop',
      callback_url: 'http://127.0.0.1:9/webhook',
      return_url: 'http://127.0.0.1:9/return',
    }).app_id;
    const client = createPasisClient({ appId, baseUrl: url, logger: silentLogger });
    for (let i = 0; i < 130; i++) {
      // Under the limit: one create at a time, each retried on a 429 by the client.
      const session = await client.checkout.sessions.create({
        items: [{ name: 'Money Transfer', amount: 5000 }],
        email: 'customer@mail.com',
      });
      (i % 10 === 0 ? open : paid).push(session.session_id);
    }
    for (const id of paid) {
      const res = await fetch(`${url}/_sandbox/sessions/${id}/complete`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ status: 'success', phone: '0780000001', webhook: 'lose' }),
      });
      expect(res.status).toBe(200);
    }
    await leaveTheWindow(); // the seeding's own requests
  }, 120_000);
  afterAll(() => sandbox?.close());

  const refusedBySandbox = async () =>
    ((await (await fetch(`${sandbox.url}/_sandbox/rate-limit`)).json()) as { refused: number }).refused;

  function reconcilerFor(
    options: { maxRequestsPerSecond?: number; logger?: PasisLogger; lease?: ReconcileLease },
    count = 130,
    handled: string[] = [],
  ) {
    const pagesAsked: (string | undefined)[] = [];
    const all = [...open, ...paid].sort().slice(0, count);
    const reconciler = createReconciler({
      client: createPasisClient({ appId, baseUrl: sandbox.url, logger: silentLogger }),
      webhooks: createWebhookHandler({
        secret: generateWebhookSecret(),
        logger: silentLogger,
        on: { 'session:processed': (event) => void handled.push(event.session_id) },
      }),
      sessions: {
        page: ({ after, limit }) => {
          pagesAsked.push(after);
          return all.filter((id) => after === undefined || id > after).slice(0, limit);
        },
      },
      pageSize: PAGE_SIZE,
      logger: silentLogger,
      ...options,
    });
    return { reconciler, handled, pagesAsked };
  }

  it('finds the limit from the 429s and settles every paid session, deferring none', async () => {
    const lines: string[] = [];
    const logger = { ...silentLogger, info: (message: string) => void lines.push(message) };
    const { reconciler, handled, pagesAsked } = reconcilerFor({ logger });
    const refusedBefore = await refusedBySandbox();
    const summary = await reconciler.run({ olderThanMs: 0 });
    expect(summary).toMatchObject({
      listed: 130,
      handled: 117,
      stillOpen: 13,
      failed: 0,
      deferred: 0,
      skipped: 0,
    });
    expect(handled.sort()).toEqual([...paid].sort());
    // Unpaced at first, it was refused at least once, and each refusal it counted is the sandbox's.
    expect(summary.refused).toBeGreaterThan(0);
    expect((await refusedBySandbox()) - refusedBefore).toBe(summary.refused);
    // The pace it settled on holds about the limit (just under what was accepted in a second
    // as the client counted it, then probing up by 0.1/s a second): a pace, not unbounded.
    expect(summary.pace).toBeGreaterThan(0);
    expect(summary.pace).toBeLessThan(RATE_LIMIT * 1.1);
    expect(pagesAsked).toHaveLength(Math.ceil(130 / PAGE_SIZE) + (130 % PAGE_SIZE === 0 ? 1 : 0));
    // A progress line per page after the first (the first one is debug), then the summary.
    expect(lines.filter((l) => / page \d+ read/.test(l))).toHaveLength(pagesAsked.length - 1);
  }, 120_000);

  it('under a ceiling well below the limit, is never refused', async () => {
    await leaveTheWindow(); // the last run's requests are still in the sandbox's second
    // Evenly spaced at half the limit: even the retrieves in flight arriving together fit.
    const { reconciler } = reconcilerFor({ maxRequestsPerSecond: RATE_LIMIT / 2 }, 60);
    const refusedBefore = await refusedBySandbox();
    const summary = await reconciler.run({ olderThanMs: 0 });
    expect(summary).toMatchObject({ listed: 60, duplicate: 0, refused: 0, failed: 0, pace: RATE_LIMIT / 2 });
    expect(await refusedBySandbox()).toBe(refusedBefore);
  }, 120_000);

  it('a fleet of three on one lease and one limit settles every paid session once, deferring none', async () => {
    await leaveTheWindow();
    // Each instance has its own client and pacer (as separate processes would): none knows the
    // others spend the same limit; each finds its share of it from its own 429s.
    const lease = createMemoryReconcileLease();
    const handled: string[] = [];
    const fleet = [0, 1, 2].map(() => reconcilerFor({ lease }, 130, handled).reconciler);
    const refusedBefore = await refusedBySandbox();
    const summaries = await Promise.all(fleet.map((reconciler) => reconciler.run({ olderThanMs: 0 })));
    const total = (key: 'handled' | 'stillOpen' | 'failed' | 'deferred' | 'refused' | 'heldElsewhere') =>
      summaries.reduce((n, summary) => n + summary[key], 0);
    // Each paid session handled once across the fleet: the lease split the work.
    expect(handled.sort()).toEqual([...paid].sort());
    expect(total('handled')).toBe(117);
    expect(total('stillOpen')).toBe(13);
    expect(total('heldElsewhere')).toBe(2 * 130);
    expect(total('failed')).toBe(0);
    // The limit was shared and found by each: refused, but never so often that a session was
    // given up for this run, and every refusal counted is one the sandbox counted.
    expect(total('deferred')).toBe(0);
    expect(total('refused')).toBe((await refusedBySandbox()) - refusedBefore);
    for (const summary of summaries) expect(summary.pace ?? 0).toBeLessThan(RATE_LIMIT * 1.1);
  }, 120_000);
});
