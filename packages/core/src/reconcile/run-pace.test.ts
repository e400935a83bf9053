/**
 * A run's pace and pages against the local §1b server: a session Pasis keeps refusing is
 * deferred, never failed; a paged source is read by cursor, never far ahead of the
 * retrieves, with a progress line per page.
 */
import { describe, expect, it } from 'vitest';
import type { SessionServer } from '../testing/peers/session-server.js';
import { drive, reconcilerHarness } from './test-support/harness.js';
import { sessionServerFixture } from './test-support/session-fixture.js';
import type { SessionsQuery } from './types.js';

let pasis: SessionServer;
const ids = sessionServerFixture('sess_pace', (server) => {
  pasis = server;
});

describe('run(): rate limits', () => {
  it('a session Pasis refuses again and again is deferred to the next run, never failed', async () => {
    const [limited, other] = ids(2, 'success');
    const refusals = Array.from({ length: 10 }, () => ({ kind: 'rate_limited', retryAfterSec: 1 }) as const);
    pasis.fail(limited!, ...refusals);
    const h = reconcilerHarness(pasis, { concurrency: 1, maxAttempts: 1 });
    h.open.push(limited!, other!);
    const summary = await drive(h.clock, h.reconciler.run(), 500);
    // maxAttempts: 1 bounds 5xx and timeouts only; the refusals are bounded on their own.
    expect(summary).toMatchObject({ listed: 2, handled: 1, failed: 0, deferred: 1, refused: 10, retries: 9 });
    expect(summary.failures).toEqual([]);
    expect(pasis.requested.filter((id) => id === limited)).toHaveLength(10);
    expect(h.logger.lines.find((l) => l.level === 'info')?.message).toMatch(
      /1 deferred, 10 retrieves refused \(429\)/,
    );
  });
});

describe('run(): a paged source', () => {
  it('reads page after page by cursor, at most about a page ahead of the retrieves', async () => {
    const all = ids(230, 'success').sort();
    const asked: { after: string | undefined; retrievedBefore: number }[] = [];
    const before = pasis.requested.length;
    const h = reconcilerHarness(pasis, {
      pageSize: 50,
      concurrency: 3,
      sessions: {
        page: async ({ after, limit }: SessionsQuery) => {
          asked.push({ after, retrievedBefore: pasis.requested.length - before });
          return all.filter((id) => after === undefined || id > after).slice(0, limit);
        },
      },
    });
    const summary = await h.reconciler.run({ olderThanMs: 0 });
    expect(summary).toMatchObject({ listed: 230, handled: 230, failed: 0, deferred: 0 });
    expect(asked.map((a) => a.after)).toEqual([undefined, all[49], all[99], all[149], all[199]]);
    // Page k (from 0) is asked for only once the queue fell under half a page: at least
    // k·50 − 25 sessions retrieved or in flight (3) by then.
    for (const [k, a] of asked.entries()) expect(a.retrievedBefore).toBeGreaterThanOrEqual(k * 50 - 25 - 3);
    const progress = h.logger.lines.filter((l) => / page \d+ read/.test(l.message));
    expect(progress.map((l) => l.level)).toEqual(['debug', 'info', 'info', 'info', 'info']);
    expect(progress[4]!.message).toMatch(/page 5 read, 230 listed so far: \d+ checked/);
  });
});
