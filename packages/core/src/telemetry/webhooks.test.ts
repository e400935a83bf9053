/**
 * Webhook deliveries under the OpenTelemetry SDK (in-memory exporters), through a real HTTP
 * server and real signatures: a paid delivery, a forged one, a duplicate, one in progress
 * elsewhere, a failing handler, a reconciled event, and the explicit providers.
 */
import { setTimeout as sleep } from 'node:timers/promises';
import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { recordingLogger, testClient } from '../client/test-support/client.js';
import { isPasisError } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { startSessionServer } from '../testing/peers/session-server.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import {
  createTestOtel,
  histogram,
  parentOf,
  pointWith,
  type TestOtel,
  useAsyncContext,
} from './test-support/otel.js';
import { startWebhookServer, type WebhookServer } from './test-support/webhook-server.js';
import { createWebhookTelemetry } from './webhook-telemetry.js';

const secret = generateWebhookSecret();
const paid = (session = 'sess_paid') => createTestEvent({ session_id: session });

let otel: TestOtel;
const servers: WebhookServer[] = [];
beforeAll(useAsyncContext);
beforeEach(() => {
  otel = createTestOtel();
});
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
  await otel.shutdown();
});

async function serve(webhooks: Parameters<typeof startWebhookServer>[0]) {
  const server = await startWebhookServer(webhooks);
  servers.push(server);
  return server;
}

describe('a paid delivery', () => {
  it('is one INTERNAL span with its kind, id, session, outcome and times, counted and timed', async () => {
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: { 'session:processed': () => sleep(20) },
    });
    const server = await serve(webhooks);
    const answer = await server.post(signWebhook(paid(), { secret, id: 'msg_paid' }));
    expect(answer.status).toBe(200);

    const [span, ...others] = otel.spansNamed('pasis.webhook*');
    expect(others).toHaveLength(0);
    expect(span?.name).toBe('pasis.webhook session:processed');
    expect(span?.kind).toBe(SpanKind.INTERNAL);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toMatchObject({
      'pasis.webhook.kind': 'session:processed',
      'pasis.webhook.delivery_id': 'msg_paid',
      'pasis.checkout.session_id': 'sess_paid',
      'pasis.webhook.outcome': 'handled',
      'pasis.webhook.source': 'webhook',
      'pasis.webhook.claim': 'claimed',
      'pasis.webhook.verified': true,
      'pasis.webhook.confirmed': false,
    });
    // Lower bounds only: the handler slept 20 ms; nothing here depends on how fast the machine is.
    expect(span?.attributes['pasis.webhook.handler.duration']).toBeGreaterThanOrEqual(0.015);
    expect(span?.attributes['pasis.webhook.store.duration']).toBeGreaterThanOrEqual(0);
    expect(span?.attributes['error.type']).toBeUndefined();

    const deliveries = await otel.points('pasis.webhook.deliveries');
    expect(deliveries).toHaveLength(1);
    expect(deliveries[0]?.attributes).toEqual({
      'pasis.webhook.outcome': 'handled',
      'pasis.webhook.kind': 'session:processed',
      'pasis.webhook.source': 'webhook',
    });
    expect(deliveries[0]?.value).toBe(1);
    const timed = histogram((await otel.points('pasis.webhook.handler.duration'))[0]);
    expect(timed.count).toBe(1);
    expect(timed.sum).toBeGreaterThanOrEqual(0.015);
  });

  it("runs the handler inside the delivery's span: the app's own spans are its children", async () => {
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: {
        'session:processed': async () => {
          await sleep(1); // across an await, as a database call would be
          await trace.getTracer('shop').startActiveSpan('UPDATE orders', async (span) => {
            await sleep(1);
            span.end();
          });
        },
      },
    });
    const server = await serve(webhooks);
    await server.post(signWebhook(paid(), { secret }));
    const [delivery] = otel.spansNamed('pasis.webhook*');
    const [app] = otel.spansNamed('UPDATE orders');
    expect(app).toBeDefined();
    expect(parentOf(app!)).toBe(delivery?.spanContext().spanId);
    expect(app?.spanContext().traceId).toBe(delivery?.spanContext().traceId);
  });
});

describe('a rejected delivery', () => {
  it('says what the verifier said and which id it claimed; 4xx is not an error of ours', async () => {
    const logger = recordingLogger();
    const webhooks = createWebhookHandler({ secret, logger, on: { 'session:processed': () => {} } });
    const server = await serve(webhooks);
    const forged = signWebhook(paid(), { secret: generateWebhookSecret(), id: 'msg_forged' });
    expect((await server.post(forged)).status).toBe(401);

    const [span] = otel.spansNamed('pasis.webhook*');
    expect(span?.name).toBe('pasis.webhook'); // nothing was parsed: no kind
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toMatchObject({
      'pasis.webhook.delivery_id': 'msg_forged',
      'pasis.webhook.outcome': 'no_matching_signature',
      'error.type': 'no_matching_signature',
      'pasis.webhook.source': 'webhook',
    });
    for (const absent of [
      'pasis.webhook.kind',
      'pasis.checkout.session_id',
      'pasis.webhook.handler.duration',
    ]) {
      expect(span?.attributes[absent]).toBeUndefined();
    }
    const [counted] = await otel.points('pasis.webhook.deliveries');
    expect(counted?.attributes).toEqual({
      'pasis.webhook.outcome': 'no_matching_signature',
      'pasis.webhook.source': 'webhook',
      'error.type': 'no_matching_signature',
    });
    expect(await otel.points('pasis.webhook.handler.duration')).toHaveLength(0);
    expect(logger.lines).toContainEqual({
      level: 'warn',
      message: 'Pasis webhook rejected: no_matching_signature',
      meta: {
        code: 'no_matching_signature',
        outcome: 'no_matching_signature',
        deliveryId: 'msg_forged',
        reason: 'No webhook signature matches the body and the secret.',
      },
    });
  });

  it('names an unknown kind _OTHER, whatever an unsigned body says (bounded span names and series)', async () => {
    const webhooks = createWebhookHandler({
      unsafeAllowUnsigned: true,
      logger: silentLogger,
      onUnknownEvent: () => {},
    });
    const server = await serve(webhooks);
    const body = JSON.stringify({ kind: `evil:${Math.random()}`, session_id: 'x' });
    expect(
      (await server.post({ body, headers: { 'content-type': 'application/json' } } as never)).status,
    ).toBe(200);
    const [span] = otel.spansNamed('pasis.webhook*');
    expect(span?.name).toBe('pasis.webhook _OTHER');
    expect(span?.attributes['pasis.webhook.kind']).toBe('_OTHER');
    expect(span?.attributes['pasis.checkout.session_id']).toBeUndefined();
    expect((await otel.points('pasis.webhook.deliveries'))[0]?.attributes['pasis.webhook.kind']).toBe(
      '_OTHER',
    );
  });
});

describe('deduplication', () => {
  it('a duplicate: outcome duplicate, the store said completed, no handler time', async () => {
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: { 'session:processed': () => {} },
    });
    const server = await serve(webhooks);
    const delivery = signWebhook(paid(), { secret, id: 'msg_twice' });
    await server.post(delivery);
    expect((await server.post(delivery)).json.outcome).toBe('duplicate');

    const [first, second] = otel.spansNamed('pasis.webhook*');
    expect(first?.attributes['pasis.webhook.outcome']).toBe('handled');
    expect(second?.attributes).toMatchObject({
      'pasis.webhook.outcome': 'duplicate',
      'pasis.webhook.claim': 'completed',
      'pasis.webhook.delivery_id': 'msg_twice',
    });
    expect(second?.attributes['pasis.webhook.handler.duration']).toBeUndefined();
    expect(second?.attributes['pasis.webhook.store.duration']).toBeGreaterThanOrEqual(0);
    const points = await otel.points('pasis.webhook.deliveries');
    expect(pointWith(points, { 'pasis.webhook.outcome': 'handled' })?.value).toBe(1);
    expect(pointWith(points, { 'pasis.webhook.outcome': 'duplicate' })?.value).toBe(1);
    expect(histogram((await otel.points('pasis.webhook.handler.duration'))[0]).count).toBe(1);
  });

  it('in flight elsewhere: 409, the store said in_progress', async () => {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: { 'session:processed': () => held },
    });
    const server = await serve(webhooks);
    const delivery = signWebhook(paid(), { secret, id: 'msg_concurrent' });
    const first = server.post(delivery);
    // The first one holds the claim until released; wait until its handler runs.
    for (let i = 0; i < 200 && (await server.post(delivery)).status !== 409; i++) await sleep(5);
    release();
    expect((await first).status).toBe(200);
    const busy = otel
      .spansNamed('pasis.webhook*')
      .find((s) => s.attributes['pasis.webhook.outcome'] === 'in_progress');
    expect(busy?.attributes).toMatchObject({
      'pasis.webhook.claim': 'in_progress',
      'error.type': 'in_progress',
    });
  });
});

it('a failing handler: ERROR with its code only, never the error message', async () => {
  const webhooks = createWebhookHandler({
    secret,
    logger: silentLogger,
    on: {
      'session:processed': () => {
        throw new Error('order 42 for jane@example.com not found');
      },
    },
  });
  const server = await serve(webhooks);
  expect((await server.post(signWebhook(paid(), { secret }))).status).toBe(500);
  const [span] = otel.spansNamed('pasis.webhook*');
  expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'handler_failed' });
  expect(span?.attributes).toMatchObject({
    'error.type': 'handler_failed',
    'pasis.webhook.claim': 'claimed',
  });
  expect(span?.attributes['pasis.webhook.handler.duration']).toBeGreaterThanOrEqual(0);
  expect(span?.events).toEqual([]);
  expect(JSON.stringify(span?.attributes)).not.toContain('jane');
  const [timed] = await otel.points('pasis.webhook.handler.duration');
  expect(timed?.attributes['pasis.webhook.outcome']).toBe('handler_failed');
});

it("receive() (the reconciler's way in) is a delivery span with source reconcile", async () => {
  const webhooks = createWebhookHandler({
    secret,
    logger: silentLogger,
    on: { 'session:processed': () => {} },
  });
  await webhooks.receive(paid('sess_lost') as never, {
    source: 'reconcile',
    deliveryId: 'reconcile:sess_lost',
    confirmed: true,
  });
  const [span] = otel.spansNamed('pasis.webhook*');
  expect(span?.attributes).toMatchObject({
    'pasis.webhook.source': 'reconcile',
    'pasis.webhook.delivery_id': 'reconcile:sess_lost',
    'pasis.webhook.outcome': 'handled',
    'pasis.webhook.confirmed': true,
    'pasis.webhook.verified': false,
  });
  const [counted] = await otel.points('pasis.webhook.deliveries');
  expect(counted?.attributes['pasis.webhook.source']).toBe('reconcile');
});

it("confirm-by-fetch: Pasis's answer is fetched inside the delivery's span", async () => {
  const pasis = await startSessionServer();
  try {
    pasis.set('sess_unsigned', 'success');
    const { client } = testClient(pasis.baseUrl, { maxRetries: 0 });
    const webhooks = createWebhookHandler({
      confirm: { client },
      logger: silentLogger,
      on: { 'session:processed': () => {} },
    });
    const server = await serve(webhooks);
    const body = JSON.stringify(paid('sess_unsigned'));
    expect(
      (await server.post({ body, headers: { 'content-type': 'application/json' } } as never)).status,
    ).toBe(200);
    const [delivery] = otel.spansNamed('pasis.webhook*');
    expect(delivery?.attributes).toMatchObject({
      'pasis.webhook.confirmed': true,
      'pasis.webhook.verified': false,
    });
    const [retrieve] = otel.spansNamed('GET /api/checkouts/{session_id}');
    expect(parentOf(retrieve!)).toBe(delivery?.spanContext().spanId);
  } finally {
    await pasis.close();
  }
});

describe('providers', () => {
  it('tracerProvider and meterProvider options are used instead of the globals', async () => {
    const own = createTestOtel({ register: false });
    try {
      const webhooks = createWebhookHandler({
        secret,
        logger: silentLogger,
        on: { 'session:processed': () => {} },
        tracerProvider: own.tracerProvider,
        meterProvider: own.meterProvider,
      });
      const server = await serve(webhooks);
      await server.post(signWebhook(paid(), { secret }));
      expect(own.spansNamed('pasis.webhook*')).toHaveLength(1);
      expect(await own.points('pasis.webhook.deliveries')).toHaveLength(1);
      expect(otel.spans()).toHaveLength(0);
      expect(await otel.points('pasis.webhook.deliveries')).toHaveLength(0);
    } finally {
      await own.shutdown();
    }
  });

  it('follows the global providers: none → off; registered later → on; disabled → off again', async () => {
    await otel.shutdown(); // nothing registered
    const source = createWebhookTelemetry({ tracerProvider: undefined, meterProvider: undefined });
    expect(source()).toBeUndefined();
    const webhooks = createWebhookHandler({
      secret,
      logger: silentLogger,
      on: { 'session:processed': () => {} },
    });
    otel = createTestOtel(); // registered after the receiver was built
    expect(source()?.tracer).toBeDefined();
    expect(source()?.metrics).toBeDefined();
    const server = await serve(webhooks);
    await server.post(signWebhook(paid(), { secret }));
    expect(otel.spansNamed('pasis.webhook*')).toHaveLength(1);
    trace.disable();
    expect(source()?.tracer).toBeUndefined(); // metrics only
    expect(source()?.metrics).toBeDefined();
  });

  it('refuses a provider that is not one, naming the package', () => {
    const attempt = (options: object) => {
      try {
        createWebhookHandler({ secret, ...options }, { name: '@pasis/express' });
      } catch (error) {
        return error;
      }
    };
    const bad = attempt({ tracerProvider: {} });
    expect(isPasisError(bad, 'config_error')).toBe(true);
    expect((bad as Error).message).toBe(
      '@pasis/express: tracerProvider must be an OpenTelemetry TracerProvider (with getTracer()).',
    );
    expect((attempt({ meterProvider: 42 }) as Error).message).toMatch(
      /^@pasis\/express: meterProvider must be/,
    );
  });
});

afterAll(() => trace.disable());
