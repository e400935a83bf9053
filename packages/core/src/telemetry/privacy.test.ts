/**
 * What telemetry and logs never contain: the webhook secret, a signature header, an email,
 * a phone number, the app id. A paid delivery, a forged one, a duplicate, a create retried
 * (with the email in its params, and echoed back by Pasis with a phone number), a call that
 * fails with both in Pasis's error text, and a reconciler run, all under the SDK's in-memory
 * exporters and recording loggers; then every span, event, metric attribute and log line is
 * searched.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { recordingLogger, testClient } from '../client/test-support/client.js';
import { faults, startFaultServer } from '../client/test-support/fault-server.js';
import { createReconciler } from '../reconcile/create-reconciler.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { startSessionServer } from '../testing/peers/session-server.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from '../webhooks/receiver.js';
import { createTestOtel, spanText, type TestOtel, useAsyncContext } from './test-support/otel.js';
import { startWebhookServer } from './test-support/webhook-server.js';

const EMAIL = 'jane.doe@example.com';
const PHONE = '0780000001';
const APP_ID = 'app_7f3k2_private';

let otel: TestOtel;
beforeAll(() => {
  useAsyncContext();
  otel = createTestOtel();
});
afterAll(() => otel.shutdown());

function logText(lines: { level: string; message: string; meta?: unknown }[]): string[] {
  // As a structured logger would print them: errors with their message, stack and cause.
  const replacer = (_key: string, value: unknown) =>
    value instanceof Error ? { message: value.message, stack: value.stack, cause: value.cause } : value;
  return lines.map((line) => JSON.stringify(line, replacer));
}

it('no secret, signature, email, phone number or app id in any span, metric or log line', async () => {
  const secret = generateWebhookSecret();
  const logs = recordingLogger();

  // Deliveries: paid (with the customer's details in extra fields), forged, duplicate.
  const handled: unknown[] = [];
  const webhooks = createWebhookHandler({
    secret,
    logger: logs,
    on: { 'session:processed': (event) => void handled.push(event) },
  });
  const server = await startWebhookServer(webhooks);
  const event = createTestEvent({ session_id: 'sess_private', customer_email: EMAIL, payer_phone: PHONE });
  const genuine = signWebhook(event, { secret, id: 'msg_paid' });
  const forged = signWebhook(event, { secret: generateWebhookSecret(), id: 'msg_forged' });
  const signatures = [genuine, forged].map((d) => d.headers['webhook-signature']);
  expect((await server.post(genuine)).status).toBe(200);
  expect((await server.post(forged)).status).toBe(401);
  expect((await server.post(genuine)).json.outcome).toBe('duplicate');
  await server.close();
  expect(handled).toHaveLength(1);

  // A create with the email, retried after a 503 whose body quotes it; the answer echoes it back.
  const pasis = await startFaultServer();
  const { client, logger: clientLogs } = testClient(pasis.baseUrl, { appId: APP_ID });
  pasis.enqueue(
    faults.error(503, 'internal_error', `busy for ${EMAIL} / ${PHONE}`, {}, { 'retry-after': '0' }),
    faults.session({ email: EMAIL, phone: PHONE }),
  );
  await client.checkout.sessions.create({ items: [{ name: 'Money Transfer', amount: 5000 }], email: EMAIL });
  // A call that fails for good, Pasis's message naming the phone number.
  pasis.enqueue(faults.error(422, 'phone_number_not_found', `Phone number ${PHONE} not found`));
  await client.checkout.sessions
    .create({ items: [{ name: 'Money Transfer', amount: 5000 }], email: EMAIL })
    .catch(() => {});
  expect(pasis.requests.some((r) => r.body.includes(EMAIL) && r.body.includes(APP_ID))).toBe(true); // it did go over the wire
  await pasis.close();

  // A reconciler run that settles one session and finds one unknown.
  const sessions = await startSessionServer(APP_ID);
  sessions.set('sess_reconciled', 'success');
  const reconcileLogs = recordingLogger();
  const reconcileClient = testClient(sessions.baseUrl, { appId: APP_ID, maxRetries: 0 }).client;
  const reconciler = createReconciler({
    client: reconcileClient,
    webhooks,
    logger: reconcileLogs,
    sessions: () => ['sess_reconciled', 'sess_unknown'],
  });
  expect((await reconciler.run({ olderThanMs: 0 })).handled).toBe(1);
  await sessions.close();

  const spans = otel.spans().map(spanText);
  const metrics = (await otel.metrics()).map((m) =>
    JSON.stringify({ name: m.descriptor.name, points: m.dataPoints.map((p) => p.attributes) }),
  );
  const lines = logText([...logs.lines, ...clientLogs.lines, ...reconcileLogs.lines]);

  // The search can fail: what it searches is there, with the ids that make it useful.
  expect(spans.length).toBeGreaterThanOrEqual(8);
  expect(metrics.length).toBe(5); // the client's, the receiver's two, the reconciler's sessions and requests
  expect(lines.length).toBeGreaterThanOrEqual(5);
  const everything = [...spans, ...metrics, ...lines].join('\n');
  for (const present of [
    'msg_paid',
    'msg_forged',
    'sess_private',
    'sess_reconciled',
    'no_matching_signature',
    'REDACTED',
  ]) {
    expect(everything).toContain(present);
  }

  const needles = {
    secret,
    'secret key': secret.slice('whsec_'.length),
    ...Object.fromEntries(signatures.map((s, i) => [`signature ${i}`, s])),
    ...Object.fromEntries(signatures.map((s, i) => [`signature ${i} (base64)`, s.slice(3)])),
    email: EMAIL,
    'email (local part)': 'jane.doe',
    phone: PHONE,
    'phone (international)': '250780000001',
    'app id': APP_ID,
  };
  const found = Object.entries(needles).flatMap(([what, needle]) =>
    [...spans, ...metrics, ...lines]
      .filter((text) => text.includes(needle))
      .map((text) => `${what}: ${text}`),
  );
  expect(found).toEqual([]);
});
