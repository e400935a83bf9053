/**
 * One message per error code: whichever path refuses a delivery (the headers, the body's
 * reader, `fetch()`, the parser, a handler, a bug, confirm-by-fetch), its answer carries its
 * code's one message, the same through `handle()` and `fetch()`; why this delivery was
 * refused is in the log line instead.
 */
import { describe, expect, it } from 'vitest';
import { testClient } from '../client/test-support/client.js';
import type { WebhookErrorCode } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { startSessionServer } from '../testing/peers/session-server.js';
import { signWebhook } from '../testing/signing/sign.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { webhookMessages } from './messages.js';
import { WEBHOOK_ERROR_STATUS } from './outcome.js';
import { createWebhookHandler } from './receiver.js';
import type { WebhookReceiver, WebhookRequest } from './receiver-types.js';
import { generateWebhookSecret } from './secret.js';

const secret = generateWebhookSecret();
const limits = { maxBodyBytes: 256, bodyTimeoutMs: 500 };
const signed = (body: string | object = createTestEvent()) => signWebhook(body, { secret });
const without = (name: string) => {
  const { body, headers } = signed();
  const { [name]: _dropped, ...rest } = headers as Record<string, string>;
  return { body, headers: rest };
};
const brokenLogger = {
  ...silentLogger,
  warn: () => {
    throw new Error('a bug in a logger');
  },
};

/** Many causes per code, each as a request to `handle()` (and, where it can be one, `fetch()`). */
const causes: [WebhookErrorCode, WebhookRequest][] = [
  ['missing_header', without('webhook-id')],
  ['missing_header', without('webhook-signature')],
  ['missing_header', { ...signed(), headers: { ...signed().headers, 'webhook-timestamp': ' ' } }],
  ['malformed_id', { ...signed(), headers: { ...signed().headers, 'webhook-id': 'ü'.repeat(3) } }],
  ['invalid_json', signed('{"kind":')],
  ['invalid_json', { ...signed(Buffer.from([0xff, 0xfe]).toString('latin1')) }],
  ['invalid_event', signed('[]')],
  ['invalid_event', signed({ session_id: 'sess_1' })],
  ['invalid_event', signed({ ...createTestEvent(), amount: 'lots' })],
  ['body_too_large', { ...signed(), body: 'x'.repeat(257) }],
  ['body_too_large', { ...signed(), read: { kind: 'too_large' } }],
  ['body_timeout', { ...signed(), read: { kind: 'timed_out' } }],
  ['body_unreadable', { ...signed(), read: { kind: 'unreadable' } }],
  ['body_already_parsed', { ...signed(), body: createTestEvent() }],
  ['body_already_parsed', { ...signed(), read: { kind: 'consumed' } }],
  ['body_already_parsed', { ...signed(), read: { kind: 'bytes', body: {} as Uint8Array } }],
  // A throwing handler, and a bug (here a logger that throws while the event is ignored).
  ['handler_failed', signed(createTestEvent({ session_id: 'sess_throws' }))],
  [
    'handler_failed',
    { ...signed(createTestEvent({ kind: 'session:created' } as never)), logger: brokenLogger },
  ],
];

async function answers(webhooks: WebhookReceiver, request: WebhookRequest) {
  const out = [JSON.parse((await webhooks.handle(request)).body).error];
  const { body, headers, read, logger } = request;
  // fetch() has no request logger, and takes only bytes: the rest is handle()'s alone.
  if (
    read === undefined &&
    logger === undefined &&
    (typeof body === 'string' || body instanceof Uint8Array)
  ) {
    const init = { method: 'POST', body: body as BodyInit, headers: headers as Record<string, string> };
    const response = await webhooks.fetch(new Request('http://127.0.0.1/webhook', init));
    out.push((await response.json()).error);
  }
  return out as { code: WebhookErrorCode; message: string }[];
}

describe('one message per error code', () => {
  it('the table has one message for every code of the status table', () => {
    expect(Object.keys(webhookMessages(limits)).sort()).toEqual(Object.keys(WEBHOOK_ERROR_STATUS).sort());
    for (const message of Object.values(webhookMessages(limits))) expect(message).toMatch(/^[A-Z].+\.$/);
  });

  it('every cause of a code answers its one message, through handle() and fetch()', async () => {
    const webhooks = createWebhookHandler({
      secret,
      ...limits,
      logger: silentLogger,
      on: {
        'session:processed': (event) => {
          if (event.session_id === 'sess_throws') throw new Error('orders table is locked');
        },
      },
    });
    const messages = webhookMessages(limits);
    const seen = new Map<WebhookErrorCode, Set<string>>();
    for (const [code, request] of causes) {
      for (const error of await answers(webhooks, request)) {
        expect(error.code, JSON.stringify(request.headers)).toBe(code);
        seen.set(code, (seen.get(code) ?? new Set()).add(error.message));
      }
    }
    for (const [code, texts] of seen) expect([...texts], code).toEqual([messages[code]]);
  });

  it('confirm-by-fetch: Pasis down and Pasis asking for a pause are one pasis_unavailable message', async () => {
    const pasis = await startSessionServer();
    try {
      const { client } = testClient(pasis.baseUrl);
      const webhooks = createWebhookHandler({ confirm: { client }, logger: silentLogger, on: () => {} });
      pasis.fail('sess_down', { kind: 'rate_limited', retryAfterSec: 30 });
      const down = await webhooks.handle(signed(createTestEvent({ session_id: 'sess_down' })));
      const paused = await webhooks.handle(signed(createTestEvent({ session_id: 'sess_later' })));
      const [first, second] = [JSON.parse(down.body).error, JSON.parse(paused.body).error];
      expect([first.code, second.code]).toEqual(['pasis_unavailable', 'pasis_unavailable']);
      expect(second.message).toBe(first.message);
      expect(first.message).toBe(webhookMessages(limits).pasis_unavailable);
    } finally {
      await pasis.close();
    }
  });
});
