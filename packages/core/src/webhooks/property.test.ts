import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { silentLogger } from '../logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createWebhookHandler } from './handler.js';

const secret = generateWebhookSecret();
const NOW = 1_800_000_000;

const headerValue = fc.oneof(
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.string(), { maxLength: 3 }),
  fc.constantFrom('v1,', `v1,${'A'.repeat(43)}=`, String(NOW), 'msg_1', ''),
);
const body = fc.oneof(
  fc.string(),
  fc.uint8Array({ maxLength: 512 }),
  fc.json(),
  fc.constant(JSON.stringify({ kind: 'session:processed', session_id: 's', amount: 1, status: 'success' })),
  fc.anything(),
);
const headers = fc.dictionary(
  fc.oneof(
    fc.constantFrom(
      'webhook-id',
      'webhook-timestamp',
      'webhook-signature',
      'Webhook-Signature',
      'content-type',
    ),
    fc.string(),
  ),
  headerValue,
);

describe('handle() over random input', () => {
  it('never throws, and never answers 2xx without a valid signature', async () => {
    const webhooks = createWebhookHandler({
      secret,
      now: () => NOW * 1000,
      logger: silentLogger,
      on: () => {},
    });
    await fc.assert(
      fc.asyncProperty(body, headers, async (randomBody, randomHeaders) => {
        const answer = await webhooks.handle({
          body: randomBody,
          headers: randomHeaders as Record<string, string>,
        });
        expect(answer.status === 200).toBe(false);
        expect([400, 401, 413, 500]).toContain(answer.status);
        expect(() => JSON.parse(answer.body)).not.toThrow();
      }),
      { numRuns: 400 },
    );
  });

  it('answers 2xx to random authentic bodies only when they are events', async () => {
    const webhooks = createWebhookHandler({
      secret,
      now: () => NOW * 1000,
      logger: silentLogger,
      on: () => {},
    });
    let id = 0;
    await fc.assert(
      fc.asyncProperty(fc.oneof(fc.string(), fc.json()), async (payload) => {
        const delivery = signWebhook(payload, { secret, id: `msg_${id++}`, timestamp: NOW });
        const answer = await webhooks.handle(delivery);
        let isObjectWithKind = false;
        try {
          const parsed = JSON.parse(payload) as { kind?: unknown };
          isObjectWithKind = typeof parsed === 'object' && parsed !== null && typeof parsed.kind === 'string';
        } catch {}
        if (answer.status === 200) expect(isObjectWithKind).toBe(true);
        else expect(answer.status).toBe(400);
      }),
      { numRuns: 300 },
    );
  });
});
