import { describe, expect, it } from 'vitest';
import { rejection } from '../client/test-support/client.js';
import type { PasisError } from '../errors.js';
import type { PasisEvent, SessionProcessedEvent } from '../events/types.js';
import { silentLogger } from '../logging/logger.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { confirmEvent } from './confirm.js';
import { WEBHOOK_ERROR_STATUS } from './outcome.js';
import { createWebhookHandler } from './receiver.js';
import { confirmFixture } from './test-support/confirm-fixture.js';

const { pasis: server, sessionId, client, processed } = confirmFixture('sess_confirm');

async function refusal(event: PasisEvent, options = {}) {
  const error = (await rejection(confirmEvent(client(options), event))) as PasisError;
  const status = WEBHOOK_ERROR_STATUS[error.code as keyof typeof WEBHOOK_ERROR_STATUS];
  return { error, status };
}

describe('confirmEvent: session:processed', () => {
  it("returns the event rebuilt from Pasis's answer, never from the body", async () => {
    const id = sessionId();
    server().set(id, 'success', 5000);
    const body = processed(id, { note: 'forged extra', __hint: { admin: true } });
    const event = await confirmEvent(client(), body);
    expect(event).toEqual(createTestEvent({ session_id: id, completed_at: '2025-09-11T09:03:10Z' }));
    expect(server().requested).toEqual([id]);
  });

  it('confirms a cancelled session as cancelled', async () => {
    const id = sessionId();
    server().set(id, 'cancelled', 700);
    expect(await confirmEvent(client(), processed(id, { status: 'cancelled', amount: 700 }))).toMatchObject({
      status: 'cancelled',
      amount: 700,
    });
  });

  it.each([
    ['a forged success for an open session', 'open', {}, 'session_open'],
    ['a forged amount', 'success', { amount: 50 }, 'outcome_mismatch'],
    ['a success that Pasis says was cancelled', 'cancelled', {}, 'outcome_mismatch'],
    ['a cancel that Pasis says succeeded', 'success', { status: 'cancelled' }, 'outcome_mismatch'],
  ] as const)(
    '%s (Pasis: %s, body %o) → 422 %s, the body never quoted',
    async (_label, actual, overrides, code) => {
      const id = sessionId();
      server().set(id, actual, 5000);
      const { error, status } = await refusal(processed(id, overrides));
      expect(error.code).toBe(code);
      expect(status).toBe(422);
      expect(error.message).not.toContain(id);
      expect(error.message).not.toMatch(/\b50\b|5000/);
    },
  );

  it('names both fields when status and amount differ', async () => {
    const id = sessionId();
    server().set(id, 'cancelled', 5000);
    const { error } = await refusal(processed(id, { amount: 1 }));
    expect(error.message).toMatch(/status and amount do not match/);
  });

  it('a session Pasis does not know → 422 unknown_session', async () => {
    const { error, status } = await refusal(processed('sess_nobody_made'));
    expect([error.code, status]).toEqual(['unknown_session', 422]);
    expect(error.message).not.toMatch(/sess_nobody_made/);
  });

  it('an id no session can have → 400 invalid_event, and Pasis is not asked', async () => {
    const { error, status } = await refusal(processed('has space'));
    expect([error.code, status]).toEqual(['invalid_event', 400]);
    expect(server().requested).toEqual([]);
  });
});

describe('confirmEvent: when Pasis cannot be asked → 503 pasis_unavailable (the sender retries)', () => {
  it('a 500 on every attempt', async () => {
    const id = sessionId();
    server().set(id, 'success');
    server().fail(id, { kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    const { error, status } = await refusal(processed(id), { maxRetries: 1 });
    expect([error.code, status]).toEqual(['pasis_unavailable', 503]);
    expect(error.message).toMatch(/api_error/);
    expect((error.cause as PasisError).code).toBe('api_error');
  });

  it('a rate limit beyond maxRetryAfterMs, carrying retryAfterMs', async () => {
    const id = sessionId();
    server().set(id, 'success');
    server().fail(id, { kind: 'rate_limited', retryAfterSec: 90 });
    const { error, status } = await refusal(processed(id));
    expect([error.code, status, error.retryAfterMs]).toEqual(['pasis_unavailable', 503, 90_000]);
  });

  it('the wrong app id (a setup mistake, fixed by a deploy: worth retrying)', async () => {
    const id = sessionId();
    server().set(id, 'success');
    const { error } = await refusal(processed(id), { appId: 'app_typo' });
    expect(error.code).toBe('pasis_unavailable');
  });

  it('an abort', async () => {
    const id = sessionId();
    server().set(id, 'success');
    const error = (await rejection(
      confirmEvent(client(), processed(id), { signal: AbortSignal.abort() }),
    )) as PasisError;
    expect(error.code).toBe('pasis_unavailable');
  });
});

describe('confirmEvent: other kinds', () => {
  it("session:created is confirmed by the session's existence and amount", async () => {
    const id = sessionId();
    server().set(id, 'open', 1200);
    const created = { kind: 'session:created', session_id: id, amount: 1200, extra: 'x' } as const;
    expect(await confirmEvent(client(), created)).toEqual({
      kind: 'session:created',
      session_id: id,
      amount: 1200,
      payment_link: `https://checkout.pasis.rw/pay/${id}`,
      created_at: '2025-09-11T09:00:00Z',
    });
    expect((await refusal({ ...created, amount: 1 })).error.code).toBe('outcome_mismatch');
  });

  it('an unknown kind is refused without asking Pasis', async () => {
    const unknown = { kind: 'refund:issued', session_id: 'sess_1', amount: 1 } as unknown as PasisEvent;
    expect((await refusal(unknown)).error.code).toBe('invalid_event');
    expect(server().requested).toEqual([]);
  });
});

// What the receiver does with it (the lead wires `confirm` into createWebhookHandler): the
// confirmed event goes through the same handlers and dedupe as any other.
describe('confirm, then receive', () => {
  it('a forged success leaves the order pending; the genuine event is handled once', async () => {
    const id = sessionId();
    server().set(id, 'open');
    const orders = new Map([[id, 'pending']]);
    const webhooks = createWebhookHandler({
      unsafeAllowUnsigned: true,
      logger: silentLogger,
      on: { 'session:processed': (e) => void orders.set(e.session_id, e.status) },
    });
    const deliver = async (body: SessionProcessedEvent) => {
      const event = await confirmEvent(client(), body);
      return webhooks.receive(event, { source: 'webhook', deliveryId: `msg_${id}`, confirmed: true });
    };
    expect(await rejection(deliver(processed(id)))).toMatchObject({ code: 'session_open' });
    expect(orders.get(id)).toBe('pending');
    server().set(id, 'success');
    expect(await rejection(deliver(processed(id, { amount: 1 })))).toMatchObject({
      code: 'outcome_mismatch',
    });
    expect(orders.get(id)).toBe('pending');
    expect(await deliver(processed(id))).toEqual({ ok: true, outcome: 'handled' });
    expect(await deliver(processed(id))).toEqual({ ok: true, outcome: 'duplicate' });
    expect(orders.get(id)).toBe('success');
  });
});
