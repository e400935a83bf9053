/**
 * OpenTelemetry's contract is that it never throws; a provider that does anyway loses its
 * telemetry, never a delivery, a call or a run.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { params, testClient } from '../client/test-support/client.js';
import { type FaultServer, faults, startFaultServer } from '../client/test-support/fault-server.js';
import { silentLogger } from '../logging/logger.js';
import { reconcilerHarness } from '../reconcile/test-support/harness.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { startSessionServer } from '../testing/peers/session-server.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from '../webhooks/receiver.js';

const broken = () => {
  throw new Error('broken provider');
};
// A tracer whose spans cannot start, and instruments that throw when used.
const tracerProvider = { getTracer: () => ({ startSpan: broken, startActiveSpan: broken }) };
const meterProvider = {
  getMeter: () => ({ createCounter: () => ({ add: broken }), createHistogram: () => ({ record: broken }) }),
};
// Spans that start, then throw on everything they are asked.
const spanProvider = {
  getTracer: () => ({
    startSpan: () => ({
      isRecording: () => true,
      setAttribute: broken,
      setAttributes: broken,
      addEvent: broken,
      setStatus: broken,
      updateName: broken,
      end: broken,
      spanContext: () => ({ traceId: `${'0'.repeat(31)}1`, spanId: `${'0'.repeat(15)}1`, traceFlags: 1 }),
    }),
  }),
};

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());

it.each([
  ['spans that cannot start, instruments that throw', tracerProvider],
  ['spans that throw on every method', spanProvider],
])('deliveries are answered as usual: %s', async (_, tracer) => {
  const secret = generateWebhookSecret();
  const handled: unknown[] = [];
  const webhooks = createWebhookHandler({
    secret,
    logger: silentLogger,
    on: { 'session:processed': (event) => void handled.push(event) },
    tracerProvider: tracer,
    meterProvider,
  });
  const delivery = signWebhook(createTestEvent({ session_id: 's', amount: 1 }), { secret });
  expect((await webhooks.handle(delivery)).status).toBe(200);
  expect((await webhooks.handle(delivery)).body).toContain('duplicate');
  expect((await webhooks.handle({ ...delivery, headers: {} })).status).toBe(400);
  expect(handled).toHaveLength(1);
});

it.each([
  ['spans that cannot start, instruments that throw', tracerProvider],
  ['spans that throw on every method', spanProvider],
])('calls and reconciler runs work as usual: %s', async (_, tracer) => {
  server.enqueue(faults.html(502), faults.session());
  const { client } = testClient(server.baseUrl, { tracerProvider: tracer, meterProvider });
  expect((await client.checkout.sessions.create(params)).session_id).toBe('sess_12345');
  const pasis = await startSessionServer();
  try {
    pasis.set('sess_r', 'success');
    const { reconciler, open } = reconcilerHarness(pasis, { tracerProvider: tracer });
    open.push('sess_r');
    expect((await reconciler.run({ olderThanMs: 0 })).handled).toBe(1);
    expect((await reconciler.check('sess_r')).outcome).toBe('duplicate');
  } finally {
    await pasis.close();
  }
});
