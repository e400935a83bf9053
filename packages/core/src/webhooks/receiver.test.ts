import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createMemoryStore } from '../dedupe/memory-store.js';
import type { WebhookStore } from '../dedupe/store.js';
import { isPasisError } from '../errors.js';
import { type PasisLogger, silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from './receiver.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const parse = (body: string) =>
  JSON.parse(body) as { ok: boolean; outcome?: string; error?: { code: string; message: string } };
afterEach(() => vi.unstubAllEnvs());

function recordingLogger() {
  const lines: { level: string; message: string }[] = [];
  const at = (level: string) => (message: string) => void lines.push({ level, message });
  const logger: PasisLogger = { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
  return { lines, logger };
}

async function deliver(
  webhooks: ReturnType<typeof createWebhookHandler>,
  payload: string | object,
  id = 'msg_1',
) {
  const { body, headers } = signWebhook(payload, { secret, id });
  const answer = await webhooks.handle({ body, headers });
  return { ...answer, json: parse(answer.body) };
}

describe('bodies', () => {
  it.each([
    ['not JSON', '{"kind": "session:processed",', 400, 'invalid_json'],
    ['empty', '', 400, 'invalid_json'],
    ['a JSON array', '[1,2]', 400, 'invalid_event'],
    ['without a kind', '{"session_id":"s"}', 400, 'invalid_event'],
    [
      'a known kind with an unknown status',
      JSON.stringify({ ...event, status: 'refunded' }),
      400,
      'invalid_event',
    ],
    ['a known kind with a string amount', JSON.stringify({ ...event, amount: '5000' }), 400, 'invalid_event'],
  ])('an authentic body that is %s → %i %s, handler not run', async (_, body, status, code) => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({ secret, on: handler, logger: silentLogger });
    const answer = await deliver(webhooks, body);
    expect(answer.status).toBe(status);
    expect(answer.json.error?.code).toBe(code);
    expect(handler).not.toHaveBeenCalled();
  });

  it('refuses invalid UTF-8 with 400 invalid_json', async () => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({ secret, on: handler, logger: silentLogger });
    const bytes = Buffer.concat([
      Buffer.from('{"kind":"session:processed","session_id":"'),
      Buffer.from([0xc3, 0x28]),
      Buffer.from('"}'),
    ]);
    const { headers } = signWebhook(bytes.toString('latin1'), { secret });
    // Sign the exact bytes: signWebhook signs strings as UTF-8, so sign through a Buffer-equal string.
    const { computeSignature } = await import('./signature.js');
    const key = Buffer.from(secret.slice(6), 'base64');
    headers['webhook-signature'] =
      `v1,${computeSignature(key, headers['webhook-id'], headers['webhook-timestamp'], bytes).toString('base64')}`;
    const answer = await webhooks.handle({ body: bytes, headers });
    expect(answer.status).toBe(400);
    expect(parse(answer.body).error?.code).toBe('invalid_json');
    expect(handler).not.toHaveBeenCalled();
  });

  it('keeps extra fields but never lets __proto__, constructor or prototype reach the handler', async () => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({
      secret,
      on: { 'session:processed': handler },
      logger: silentLogger,
    });
    const body =
      '{"kind":"session:processed","session_id":"s","amount":1,"status":"success","extra":{"a":1},' +
      '"__proto__":{"polluted":true},"constructor":{"prototype":{"polluted":true}},"nested":{"\\u005f_proto__":{"polluted":true}}}';
    const answer = await deliver(webhooks, body);
    expect(answer.status).toBe(200);
    const received = handler.mock.calls[0]![0];
    expect(received.extra).toEqual({ a: 1 });
    expect(Object.keys(received)).not.toContain('__proto__');
    expect(Object.hasOwn(received, 'constructor')).toBe(false);
    expect(received.nested).toEqual({});
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(received)).toBe(Object.prototype);
  });

  it("answers 413 over maxBodyBytes (or when the adapter's reader says so), handler not run", async () => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({ secret, on: handler, maxBodyBytes: 100, logger: silentLogger });
    const big = await deliver(webhooks, { ...event, pad: 'x'.repeat(200) });
    expect(big.status).toBe(413);
    expect(big.json.error?.code).toBe('body_too_large');
    const flagged = await webhooks.handle({ read: { kind: 'too_large' }, headers: {} });
    expect(flagged.status).toBe(413);
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers 500 body_already_parsed for a parsed body, and logs the adapter hint once', async () => {
    const { lines, logger } = recordingLogger();
    const webhooks = createWebhookHandler({ secret, logger }, { rawBodyHint: 'mount it first' });
    const { headers } = signWebhook(event, { secret });
    for (const body of [event, undefined, null]) {
      const answer = await webhooks.handle({ body, headers });
      expect(answer.status).toBe(500);
      expect(parse(answer.body).error?.code).toBe('body_already_parsed');
    }
    expect(lines.filter((l) => l.message === 'mount it first')).toHaveLength(1);
  });
});

describe('kinds and handlers', () => {
  it('answers 200 to an unknown kind after onUnknownEvent, without running known handlers', async () => {
    const known = vi.fn();
    const onUnknownEvent = vi.fn();
    const webhooks = createWebhookHandler({
      secret,
      on: { 'session:processed': known },
      onUnknownEvent,
      logger: silentLogger,
    });
    const answer = await deliver(webhooks, { kind: 'refund:created', refund_id: 'r1' });
    expect(answer.status).toBe(200);
    expect(onUnknownEvent).toHaveBeenCalledWith(
      { kind: 'refund:created', refund_id: 'r1' },
      expect.objectContaining({ deliveryId: 'msg_1' }),
    );
    expect(known).not.toHaveBeenCalled();
    expect(
      (await deliver(createWebhookHandler({ secret, logger: silentLogger }), { kind: 'x:y' })).status,
    ).toBe(200);
  });

  it('runs every handler of a kind in order, with the delivery context', async () => {
    const order: string[] = [];
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: { 'session:processed': [async () => void order.push('a'), async () => void order.push('b')] },
    });
    webhooks.on('session:processed', (e, ctx) => {
      order.push(`c:${e.status}:${ctx.deliveryId}:${ctx.verified}:${ctx.timestamp instanceof Date}`);
    });
    await deliver(webhooks, event, 'msg_ctx');
    expect(order).toEqual(['a', 'b', 'c:success:msg_ctx:true:true']);
  });

  it('does not run the handler again for a replay after success', async () => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({ secret, on: handler, logger: silentLogger });
    expect((await deliver(webhooks, event)).json.outcome).toBe('handled');
    const replay = await deliver(webhooks, event);
    expect(replay.status).toBe(200);
    expect(replay.json.outcome).toBe('duplicate');
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('runs two concurrent identical deliveries once: the other gets 409 with Retry-After', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const handler = vi.fn(() => gate);
    const webhooks = createWebhookHandler({ secret, on: handler, logger: silentLogger });
    const first = deliver(webhooks, event);
    await new Promise((r) => setTimeout(r, 10));
    const second = await deliver(webhooks, event);
    expect(second.status).toBe(409);
    expect(second.json.error?.code).toBe('in_progress');
    expect(second.headers['retry-after']).toBe('5');
    release();
    expect((await first).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('answers 500 when the handler throws, never leaking its message; the redelivery runs it again', async () => {
    let calls = 0;
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: async () => {
        calls++;
        if (calls === 1) throw new Error('secret database password in message');
      },
    });
    const failed = await deliver(webhooks, event);
    expect(failed.status).toBe(500);
    expect(failed.json.error?.code).toBe('handler_failed');
    expect(failed.body).not.toContain('password');
    const retried = await deliver(webhooks, event);
    expect(retried.json.outcome).toBe('handled');
    expect((await deliver(webhooks, event)).json.outcome).toBe('duplicate');
    expect(calls).toBe(2);
  });

  // Fake clock: the renewal interval and the lease expiry move together, so a loaded
  // machine cannot make these pass or fail by luck.
  describe('lease renewal, on a fake clock', () => {
    beforeEach(() => vi.useFakeTimers({ toFake: ['setTimeout', 'setInterval', 'clearInterval', 'Date'] }));
    afterEach(() => vi.useRealTimers());

    /** A receiver whose handler takes 250 ms, with a 60 ms lease. */
    const slowReceiver = (store: WebhookStore) => {
      const handler = vi.fn(() => new Promise((r) => setTimeout(r, 250)));
      const webhooks = createWebhookHandler({
        secret,
        on: handler,
        store,
        leaseMs: 60,
        logger: silentLogger,
      });
      return { handler, webhooks };
    };

    it("keeps a slow handler's claim alive past the lease: no second run meanwhile", async () => {
      const { handler, webhooks } = slowReceiver(createMemoryStore());
      const first = deliver(webhooks, event);
      await vi.advanceTimersByTimeAsync(150); // well past the 60 ms initial lease
      expect((await deliver(webhooks, event)).status).toBe(409);
      await vi.advanceTimersByTimeAsync(150);
      expect((await first).status).toBe(200);
      expect(handler).toHaveBeenCalledTimes(1);
    });

    it('without renewal the lease would have expired: the same clock lets a second run in', async () => {
      const { renew: _renew, ...withoutRenew } = createMemoryStore();
      const { handler, webhooks } = slowReceiver(withoutRenew);
      const first = deliver(webhooks, event);
      await vi.advanceTimersByTimeAsync(150);
      const second = deliver(webhooks, event);
      await vi.advanceTimersByTimeAsync(300);
      expect((await second).status).toBe(200);
      expect((await first).status).toBe(200);
      expect(handler).toHaveBeenCalledTimes(2); // proves the test above would catch a broken renewer
    });
  });
});

describe.each([
  ['rejects', () => Promise.reject(new Error('ECONNREFUSED'))],
  [
    'throws synchronously',
    () => {
      throw new Error('ECONNREFUSED');
    },
  ],
])('a store that %s fails closed', (_, fail) => {
  const failing = (method: keyof WebhookStore): WebhookStore => ({ ...createMemoryStore(), [method]: fail });

  it('answers 503 when the store cannot claim; the handler does not run', async () => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({
      secret,
      on: handler,
      store: failing('claim'),
      logger: silentLogger,
    });
    const answer = await deliver(webhooks, event);
    expect(answer.status).toBe(503);
    expect(answer.json.error?.code).toBe('store_unavailable');
    expect(handler).not.toHaveBeenCalled();
  });

  it('answers 503 when the store cannot record completion, so the delivery is retried', async () => {
    const webhooks = createWebhookHandler({
      secret,
      on: () => {},
      store: failing('complete'),
      logger: silentLogger,
    });
    expect((await deliver(webhooks, event)).status).toBe(503);
  });

  it('still answers 500 for a failed handler when the claim cannot be released (the lease expires)', async () => {
    const webhooks = createWebhookHandler({
      secret,
      on: () => {
        throw new Error('db down');
      },
      store: failing('release'),
      logger: silentLogger,
    });
    expect((await deliver(webhooks, event)).json.error?.code).toBe('handler_failed');
  });
});

describe('responses and configuration', () => {
  it('never puts the secret or the expected signature in a response', async () => {
    const webhooks = createWebhookHandler({ secret, logger: silentLogger });
    const good = signWebhook(event, { secret });
    const answer = await webhooks.handle({ body: `${good.body} `, headers: good.headers });
    expect(answer.status).toBe(401);
    expect(answer.body).not.toContain(secret.slice(6, 20));
    expect(answer.body).not.toContain(good.headers['webhook-signature'].slice(3, 20));
    expect(answer.headers['content-type']).toContain('application/json');
  });

  it('serves the Fetch API, streaming bodies bounded by maxBodyBytes', async () => {
    const handler = vi.fn();
    const webhooks = createWebhookHandler({ secret, on: handler, maxBodyBytes: 1024, logger: silentLogger });
    const { body, headers } = signWebhook(event, { secret });
    const ok = await webhooks.fetch(new Request('http://x/webhook', { method: 'POST', body, headers }));
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, outcome: 'handled' });
    const stream = new ReadableStream({
      pull(controller) {
        controller.enqueue(new Uint8Array(512));
      },
    });
    const big = await webhooks.fetch(
      new Request('http://x/webhook', {
        method: 'POST',
        body: stream,
        headers,
        duplex: 'half',
      } as RequestInit),
    );
    expect(big.status).toBe(413);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it.each([
    [{ secret: 'nope' }, /whsec_/],
    [{ secret: 'whsec_c2hvcnQ=' }, /too short/],
    [{ secret, toleranceSec: Number.NaN }, /toleranceSec/],
    [{ secret, toleranceSec: -1 }, /toleranceSec/],
    [{ secret, maxBodyBytes: 0 }, /maxBodyBytes/],
    [{ secret, unsafeAllowUnsigned: true }, /either a webhook secret or unsafeAllowUnsigned/],
  ])('refuses %j at construction with a config_error', (options, message) => {
    let error: unknown;
    try {
      createWebhookHandler({ ...options, logger: silentLogger });
    } catch (e) {
      error = e;
    }
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('nope');
  });

  it('reads PASIS_WEBHOOK_SECRET once, at construction, and names it when missing', async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', '');
    expect(() => createWebhookHandler({ logger: silentLogger })).toThrow(/PASIS_WEBHOOK_SECRET/);
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    const webhooks = createWebhookHandler({ logger: silentLogger });
    vi.stubEnv('PASIS_WEBHOOK_SECRET', generateWebhookSecret());
    expect((await deliver(webhooks, event)).status).toBe(200);
  });

  it('with unsafeAllowUnsigned: warns once, accepts unsigned bodies, dedupes on kind:session:status', async () => {
    const { lines, logger } = recordingLogger();
    const handler = vi.fn();
    const webhooks = createWebhookHandler({ unsafeAllowUnsigned: true, on: handler, logger });
    const body = JSON.stringify(event);
    expect((await webhooks.handle({ body, headers: {} })).status).toBe(200);
    expect(parse((await webhooks.handle({ body, headers: {} })).body).outcome).toBe('duplicate');
    expect(handler).toHaveBeenCalledWith(
      event,
      expect.objectContaining({ deliveryId: 'session:processed:sess_1:success', verified: false }),
    );
    expect(lines.filter((l) => l.level === 'warn' && l.message.includes('unsafeAllowUnsigned'))).toHaveLength(
      1,
    );
  });
});

describe('a known kind nobody listens to', () => {
  it('is answered 200 ignored and said once, at warn: a handler that was never registered', async () => {
    const { lines, logger } = recordingLogger();
    const webhooks = createWebhookHandler({ secret, logger });
    for (const id of ['msg_idle_1', 'msg_idle_2']) {
      const answer = await deliver(webhooks, { ...event, session_id: id }, id);
      expect(answer.json.outcome).toBe('ignored');
    }
    expect(
      lines.filter((l) => l.level === 'warn' && /no handler for session:processed/.test(l.message)),
    ).toHaveLength(1);
  });
});
