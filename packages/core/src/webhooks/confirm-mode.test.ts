import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createWebhookHandler } from './receiver.js';
import { confirmFixture } from './test-support/confirm-fixture.js';

const { pasis: server, sessionId, client, processed } = confirmFixture('sess_confirm_mode');

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
    server().set(id, 'open');
    const { webhooks, orders, seen } = receiver();
    const forged = await webhooks.handle(unsigned(processed(id)));
    expect([forged.status, codeOf(forged)]).toEqual([422, 'session_open']);
    server().set(id, 'success');
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
    server().set(id, 'success');
    server().fail(
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
    const before = server().requested.length;
    expect(
      codeOf(await webhooks.handle(unsigned({ kind: 'session:created', session_id: 'x', amount: 1 }))),
    ).toBe('ignored');
    expect(codeOf(await webhooks.handle(unsigned({ kind: 'refund:created', id: 'r1' })))).toBe('ignored');
    expect(server().requested.length).toBe(before);
    // A body that is not an event is still a 400.
    expect((await webhooks.handle(unsigned({ nope: true }))).status).toBe(400);
  });

  it('with a secret too, verifies the signature and then confirms', async () => {
    const secret = generateWebhookSecret();
    const id = sessionId();
    server().set(id, 'success');
    const { webhooks, seen } = receiver({ secret });
    expect((await webhooks.handle(unsigned(processed(id)))).status).toBe(400); // no signature headers
    expect((await webhooks.handle(signWebhook(processed(id), { secret }))).status).toBe(200);
    expect(seen).toEqual([{ amount: 5000, confirmed: true, verified: true }]);
  });

  it('asks once for a burst of copies of one event', async () => {
    const id = sessionId();
    server().set(id, 'success');
    const release = server().hold();
    const { webhooks } = receiver();
    const answers = Promise.all(Array.from({ length: 10 }, () => webhooks.handle(unsigned(processed(id)))));
    await new Promise((resolve) => setTimeout(resolve, 200));
    release();
    const statuses = (await answers).map((a) => a.status);
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThan(0);
    expect(statuses.every((s) => s === 200 || s === 409)).toBe(true);
    expect(server().requested.filter((r) => r === id)).toHaveLength(1);
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
