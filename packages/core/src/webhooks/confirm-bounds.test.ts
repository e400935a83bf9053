/**
 * What bounds confirm-by-fetch's retrieves, against a real §1b server: one retrieve per
 * session whatever each delivery claims, a cap on retrieves in flight answered at once, no
 * wait on Pasis's rate limit, and what is remembered (unknown for a while, ended for good).
 */
import { describe, expect, it } from 'vitest';
import { createPasisClient } from '../client/create-client.js';
import { silentLogger } from '../logging/logger.js';
import { UNKNOWN_SESSION_TTL_MS } from './confirming.js';
import { createWebhookHandler } from './receiver.js';
import type { WebhookResponse } from './receiver-types.js';
import { confirmFixture } from './test-support/confirm-fixture.js';

const { pasis: server, sessionId, client, processed } = confirmFixture('sess_bounds');

const unsigned = (event: object) => ({
  body: JSON.stringify(event),
  headers: { 'content-type': 'application/json' },
});
const codeOf = (answer: WebhookResponse) =>
  JSON.parse(answer.body).error?.code ?? JSON.parse(answer.body).outcome;

function receiver(extra: Record<string, unknown> = {}) {
  const handled: string[] = [];
  let clock = Date.now();
  const webhooks = createWebhookHandler({
    confirm: { client: client() },
    logger: silentLogger,
    now: () => clock,
    on: { 'session:processed': (e) => void handled.push(`${e.session_id}:${e.status}:${e.amount}`) },
    ...extra,
  });
  const advance = (ms: number) => {
    clock += ms;
  };
  return { webhooks, handled, advance };
}

const asked = (id: string) => server().requested.filter((r) => r === id).length;

describe('confirm-by-fetch: bounded retrieves', () => {
  it('one retrieve for every delivery naming a session, whatever status and amount each claims', async () => {
    const id = sessionId();
    server().set(id, 'success', 5000);
    const release = server().hold();
    const { webhooks, handled } = receiver();
    const forged = Array.from({ length: 30 }, (_, i) =>
      webhooks.handle(unsigned(processed(id, { amount: i + 1, status: i % 2 ? 'success' : 'cancelled' }))),
    );
    const genuine = webhooks.handle(unsigned(processed(id)));
    await expect.poll(() => server().inFlight()).toBe(1);
    release();
    expect((await Promise.all(forged)).map(codeOf)).toEqual(Array(30).fill('outcome_mismatch'));
    expect(codeOf(await genuine)).toBe('handled');
    expect(handled).toEqual([`${id}:success:5000`]);
    expect(asked(id)).toBe(1);
  });

  it('answers 503 confirm_busy with Retry-After at once beyond confirmMaxInFlight, never queueing', async () => {
    const ids = Array.from({ length: 12 }, () => sessionId());
    for (const id of ids) server().set(id, 'success');
    const release = server().hold();
    const { webhooks } = receiver({ confirmMaxInFlight: 4 });
    const answered: WebhookResponse[] = [];
    const all = ids.map((id) => webhooks.handle(unsigned(processed(id))).then((a) => void answered.push(a)));
    // The eight over the bound are answered while Pasis still holds the four it was asked.
    await expect.poll(() => answered.length).toBe(8);
    expect(server().inFlight()).toBe(4);
    expect(answered.map((a) => [a.status, codeOf(a), a.headers['retry-after']])).toEqual(
      Array(8).fill([503, 'confirm_busy', '1']),
    );
    release();
    await Promise.all(all);
    expect(answered.slice(8).map(codeOf)).toEqual(Array(4).fill('handled'));
    expect(server().maxInFlight()).toBeLessThanOrEqual(4);
  });

  it("on Pasis's 429, answers 503 with its Retry-After at once, and asks nothing until then", async () => {
    const [limited, other] = [sessionId(), sessionId()];
    server().set(limited, 'success');
    server().set(other, 'success');
    server().fail(limited, { kind: 'rate_limited', retryAfterSec: 30 });
    // A real client, with real sleeps: honouring Retry-After here would hold the delivery 30 s.
    const pasis = createPasisClient({
      appId: server().appId,
      baseUrl: server().baseUrl,
      logger: silentLogger,
    });
    const { webhooks, handled, advance } = receiver({ confirm: { client: pasis } });
    const first = await webhooks.handle(unsigned(processed(limited)));
    expect([first.status, codeOf(first), first.headers['retry-after']]).toEqual([
      503,
      'pasis_unavailable',
      '30',
    ]);
    const before = server().requested.length;
    const paused = await webhooks.handle(unsigned(processed(other)));
    expect([paused.status, codeOf(paused), paused.headers['retry-after']]).toEqual([
      503,
      'pasis_unavailable',
      '30',
    ]);
    expect(server().requested.length).toBe(before);
    advance(30_000);
    expect(codeOf(await webhooks.handle(unsigned(processed(other))))).toBe('handled');
    expect(codeOf(await webhooks.handle(unsigned(processed(limited))))).toBe('handled');
    expect(handled).toHaveLength(2);
  });

  it(`remembers an unknown session for ${UNKNOWN_SESSION_TTL_MS} ms, then asks again`, async () => {
    const id = sessionId();
    const { webhooks, advance } = receiver();
    expect(codeOf(await webhooks.handle(unsigned(processed(id))))).toBe('unknown_session');
    expect(codeOf(await webhooks.handle(unsigned(processed(id, { amount: 7 }))))).toBe('unknown_session');
    expect(asked(id)).toBe(1);
    server().set(id, 'success'); // created since: after the pause it is real
    advance(UNKNOWN_SESSION_TTL_MS);
    expect(codeOf(await webhooks.handle(unsigned(processed(id))))).toBe('handled');
    expect(asked(id)).toBe(2);
  });

  it('remembers an ended session for good, and never an open one', async () => {
    const [ended, open] = [sessionId(), sessionId()];
    server().set(ended, 'cancelled');
    server().set(open, 'open');
    const { webhooks, handled } = receiver();
    const cancelled = processed(ended, { status: 'cancelled' });
    expect(codeOf(await webhooks.handle(unsigned(cancelled)))).toBe('handled');
    expect(codeOf(await webhooks.handle(unsigned(cancelled)))).toBe('duplicate');
    expect(codeOf(await webhooks.handle(unsigned(processed(ended))))).toBe('outcome_mismatch');
    expect(asked(ended)).toBe(1);
    expect(codeOf(await webhooks.handle(unsigned(processed(open))))).toBe('session_open');
    server().set(open, 'success');
    expect(codeOf(await webhooks.handle(unsigned(processed(open))))).toBe('handled');
    expect(asked(open)).toBe(2);
    expect(handled).toEqual([`${ended}:cancelled:5000`, `${open}:success:5000`]);
  });
});
