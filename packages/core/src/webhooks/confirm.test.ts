import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { rejection, testClient } from '../client/test-support/client.js';
import { type SessionServer, startSessionServer } from '../client/test-support/session-server.js';
import type { PasisError } from '../errors.js';
import type { PasisEvent, SessionProcessedEvent } from '../events/types.js';
import { silentLogger } from '../logger.js';
import { confirmEvent } from './confirm.js';
import { createWebhookHandler } from './handler.js';
import { WEBHOOK_ERROR_STATUS } from './outcome.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';

let pasis: SessionServer;
beforeAll(async () => {
  pasis = await startSessionServer();
});
afterAll(() => pasis.close());
afterEach(() => {
  pasis.requested.splice(0);
  pasis.reset();
});

let next = 0;
/** A fresh session id per test: the server's sessions outlive a test. */
const sessionId = () => `sess_confirm_${++next}`;
const client = (options = {}) => testClient(pasis.baseUrl, options).client;
const processed = (id: string, overrides: Partial<SessionProcessedEvent> = {}): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: id,
  amount: 5000,
  status: 'success',
  ...overrides,
});

async function refusal(event: PasisEvent, options = {}) {
  const error = (await rejection(confirmEvent(client(options), event))) as PasisError;
  const status = WEBHOOK_ERROR_STATUS[error.code as keyof typeof WEBHOOK_ERROR_STATUS];
  return { error, status };
}

describe('confirmEvent: session:processed', () => {
  it("returns the event rebuilt from Pasis's answer, never from the body", async () => {
    const id = sessionId();
    pasis.set(id, 'success', 5000);
    const body = processed(id, { note: 'forged extra', __hint: { admin: true } });
    const event = await confirmEvent(client(), body);
    expect(event).toEqual({
      kind: 'session:processed',
      session_id: id,
      amount: 5000,
      status: 'success',
      completed_at: '2025-09-11T09:03:10Z',
    });
    expect(pasis.requested).toEqual([id]);
  });

  it('confirms a cancelled session as cancelled', async () => {
    const id = sessionId();
    pasis.set(id, 'cancelled', 700);
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
      pasis.set(id, actual, 5000);
      const { error, status } = await refusal(processed(id, overrides));
      expect(error.code).toBe(code);
      expect(status).toBe(422);
      expect(error.message).not.toContain(id);
      expect(error.message).not.toMatch(/\b50\b|5000/);
    },
  );

  it('names both fields when status and amount differ', async () => {
    const id = sessionId();
    pasis.set(id, 'cancelled', 5000);
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
    expect(pasis.requested).toEqual([]);
  });
});

describe('confirmEvent: when Pasis cannot be asked → 503 pasis_unavailable (the sender retries)', () => {
  it('a 500 on every attempt', async () => {
    const id = sessionId();
    pasis.set(id, 'success');
    pasis.fail(id, { kind: 'error', status: 500 }, { kind: 'error', status: 500 });
    const { error, status } = await refusal(processed(id), { maxRetries: 1 });
    expect([error.code, status]).toEqual(['pasis_unavailable', 503]);
    expect(error.message).toMatch(/api_error/);
    expect((error.cause as PasisError).code).toBe('api_error');
  });

  it('a rate limit beyond maxRetryAfterMs, carrying retryAfterMs', async () => {
    const id = sessionId();
    pasis.set(id, 'success');
    pasis.fail(id, { kind: 'rate_limited', retryAfterSec: 90 });
    const { error, status } = await refusal(processed(id));
    expect([error.code, status, error.retryAfterMs]).toEqual(['pasis_unavailable', 503, 90_000]);
  });

  it('the wrong app id (a setup mistake, fixed by a deploy: worth retrying)', async () => {
    const id = sessionId();
    pasis.set(id, 'success');
    const { error } = await refusal(processed(id), { appId: 'app_typo' });
    expect(error.code).toBe('pasis_unavailable');
  });

  it('an abort', async () => {
    const id = sessionId();
    pasis.set(id, 'success');
    const error = (await rejection(
      confirmEvent(client(), processed(id), { signal: AbortSignal.abort() }),
    )) as PasisError;
    expect(error.code).toBe('pasis_unavailable');
  });
});

describe('confirmEvent: other kinds', () => {
  it("session:created is confirmed by the session's existence and amount", async () => {
    const id = sessionId();
    pasis.set(id, 'open', 1200);
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
    expect(pasis.requested).toEqual([]);
  });
});

// The receiver in confirm mode: unsigned deliveries through handle(), as Pasis sends them.
describe('createWebhookHandler({ confirm })', () => {
  const unsigned = (event: object) => ({
    body: JSON.stringify(event),
    headers: { 'content-type': 'application/json' },
  });
  const codeOf = (answer: { body: string }) =>
    JSON.parse(answer.body).error?.code ?? JSON.parse(answer.body).outcome;

  function receiver(extra: object = {}) {
    const orders = new Map<string, string>();
    const seen: { amount: number; confirmed: boolean; verified: boolean }[] = [];
    const webhooks = createWebhookHandler({
      confirm: { client: client() },
      logger: silentLogger,
      on: {
        'session:processed': (e, ctx) => {
          seen.push({ amount: e.amount, confirmed: ctx.confirmed, verified: ctx.verified });
          orders.set(e.session_id, e.status);
        },
      },
      ...extra,
    });
    return { webhooks, orders, seen };
  }

  it('refuses a forged success for an open session and a forged amount (422); handles the genuine event once', async () => {
    const id = sessionId();
    pasis.set(id, 'open');
    const { webhooks, orders, seen } = receiver();
    const forged = await webhooks.handle(unsigned(processed(id)));
    expect([forged.status, codeOf(forged)]).toEqual([422, 'session_open']);
    pasis.set(id, 'success');
    const wrongAmount = await webhooks.handle(unsigned(processed(id, { amount: 1 })));
    expect([wrongAmount.status, codeOf(wrongAmount)]).toEqual([422, 'outcome_mismatch']);
    const wrongStatus = await webhooks.handle(unsigned(processed(id, { status: 'cancelled' })));
    expect(wrongStatus.status).toBe(422);
    expect(orders.has(id)).toBe(false);
    const genuine = await webhooks.handle(unsigned(processed(id, { note: 'from the body' } as never)));
    expect([genuine.status, codeOf(genuine)]).toEqual([200, 'handled']);
    expect(codeOf(await webhooks.handle(unsigned(processed(id))))).toBe('duplicate');
    expect(seen).toEqual([{ amount: 5000, confirmed: true, verified: false }]);
  });

  it('refuses an unknown session (422) and answers 503 while Pasis cannot be asked', async () => {
    const { webhooks } = receiver();
    expect((await webhooks.handle(unsigned(processed(sessionId())))).status).toBe(422);
    const id = sessionId();
    pasis.set(id, 'success');
    pasis.fail(
      id,
      { kind: 'error', status: 500 },
      { kind: 'error', status: 500 },
      { kind: 'error', status: 500 },
    );
    const down = await webhooks.handle(unsigned(processed(id)));
    expect([down.status, codeOf(down)]).toEqual([503, 'pasis_unavailable']);
  });

  it('asks Pasis nothing for kinds nobody listens to or cannot be confirmed, and answers them 200', async () => {
    const { webhooks } = receiver();
    const before = pasis.requested.length;
    expect(
      codeOf(await webhooks.handle(unsigned({ kind: 'session:created', session_id: 'x', amount: 1 }))),
    ).toBe('ignored');
    expect(codeOf(await webhooks.handle(unsigned({ kind: 'refund:created', id: 'r1' })))).toBe('ignored');
    expect(pasis.requested.length).toBe(before);
    // A body that is not an event is still a 400.
    expect((await webhooks.handle(unsigned({ nope: true }))).status).toBe(400);
  });

  it('with a secret too, verifies the signature and then confirms', async () => {
    const secret = generateWebhookSecret();
    const id = sessionId();
    pasis.set(id, 'success');
    const { webhooks, seen } = receiver({ secret });
    expect((await webhooks.handle(unsigned(processed(id)))).status).toBe(400); // no signature headers
    expect((await webhooks.handle(signWebhook(processed(id), { secret }))).status).toBe(200);
    expect(seen).toEqual([{ amount: 5000, confirmed: true, verified: true }]);
  });

  it('asks once for a burst of copies of one event', async () => {
    const id = sessionId();
    pasis.set(id, 'success');
    const release = pasis.hold();
    const { webhooks } = receiver();
    const answers = Promise.all(Array.from({ length: 10 }, () => webhooks.handle(unsigned(processed(id)))));
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const statuses = (await answers).map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(pasis.requested.filter((r) => r === id)).toHaveLength(1);
  });

  it('is configured safely: no unsafeAllowUnsigned beside it, a real client, a warning naming it otherwise', () => {
    expect(() =>
      createWebhookHandler({ confirm: true, unsafeAllowUnsigned: true, logger: silentLogger }),
    ).toThrow(/drop unsafeAllowUnsigned/);
    expect(() => createWebhookHandler({ confirm: { client: {} } as never, logger: silentLogger })).toThrow(
      /confirm must be true or \{ client \}/,
    );
    const warnings: string[] = [];
    createWebhookHandler({
      unsafeAllowUnsigned: true,
      logger: { ...silentLogger, warn: (m) => void warnings.push(m) },
    });
    expect(warnings.join()).toMatch(/use `confirm` instead/);
  });
});

// What the receiver does with it (the lead wires `confirm` into createWebhookHandler): the
// confirmed event goes through the same handlers and dedupe as any other.
describe('confirm, then receive', () => {
  it('a forged success leaves the order pending; the genuine event is handled once', async () => {
    const id = sessionId();
    pasis.set(id, 'open');
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
    pasis.set(id, 'success');
    expect(await rejection(deliver(processed(id, { amount: 1 })))).toMatchObject({
      code: 'outcome_mismatch',
    });
    expect(orders.get(id)).toBe('pending');
    expect(await deliver(processed(id))).toEqual({ ok: true, outcome: 'handled' });
    expect(await deliver(processed(id))).toEqual({ ok: true, outcome: 'duplicate' });
    expect(orders.get(id)).toBe('success');
  });
});
