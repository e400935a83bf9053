import { createHmac } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { isPasisError } from '../errors.js';
import { silentLogger } from '../logging/logger.js';
import { generateWebhookSecret, signWebhook } from '../testing/index.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { WEBHOOK_ERROR_STATUS } from './outcome.js';
import { createWebhookHandler } from './receiver.js';
import { verifyWebhook } from './verify.js';

const secret = generateWebhookSecret();
const NOW = 1_800_000_000;
const RUNS = 10_000;
// 10,000 runs take seconds alone and much longer on a loaded 2-core machine: a bound, not a speed claim.
const LONG = 180_000;
const realEvent = createTestEvent({ session_id: 'sess_p' });
const genuine = signWebhook(realEvent, { secret, id: 'msg_genuine', timestamp: NOW });

// Values of every JavaScript type, and the near misses a real header could hold.
const anyValue = fc.oneof(
  fc.anything({
    withBigInt: true,
    withBoxedValues: true,
    withDate: true,
    withMap: true,
    withSet: true,
    withTypedArray: true,
    withNullPrototype: true,
    withSparseArray: true,
  }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.constantFrom(null, undefined, Number.NaN, -0, Symbol('s'), () => 'v1,x', 1_800_000_000),
);
const headerValue = fc.oneof(
  anyValue,
  fc.string(),
  fc.string({ unit: 'binary' }),
  fc.array(fc.oneof(fc.string(), anyValue), { maxLength: 3 }),
  fc.constantFrom('v1,', `v1,${'A'.repeat(43)}=`, String(NOW), 'msg_genuine', '', ' ', 'null'),
  fc.constantFrom(...Object.values(genuine.headers)),
);
const headerName = fc.oneof(
  fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature', 'Webhook-Signature', 'WEBHOOK-ID'),
  fc.string(),
);
// Records (sometimes starting from the genuine headers with a few fields replaced), Headers,
// Maps, and things that are not header objects at all.
const headers = fc.oneof(
  fc.dictionary(headerName, headerValue),
  fc.dictionary(headerName, headerValue).map((extra) => ({ ...genuine.headers, ...extra })),
  fc
    .dictionary(fc.constantFrom('webhook-id', 'webhook-timestamp', 'webhook-signature'), fc.string())
    .map((extra) => new Headers({ ...genuine.headers, ...extra })),
  fc.dictionary(headerName, headerValue).map((r) => new Map(Object.entries(r))),
  anyValue,
);
// Valid events that are not the genuine one: a verifier that skipped a check would accept them.
const forgedEvent = fc
  .record({
    session_id: fc.constantFrom('sess_p', 'sess_other'),
    amount: fc.constantFrom(5000, 1, 4999),
    status: fc.constantFrom('success', 'cancelled'),
  })
  .map((fields) => JSON.stringify({ kind: 'session:processed', ...fields }));
const body = fc.oneof(
  forgedEvent,
  fc.string(),
  fc.uint8Array({ maxLength: 512 }),
  fc.uint8Array({ maxLength: 64 }).map((bytes) => Buffer.from(bytes)),
  fc.json(),
  fc.constant(genuine.body),
  fc.constant(Buffer.from(genuine.body)),
  anyValue,
);

/** An oracle written apart from the verifier: does this body carry a valid signature? */
function hasValidSignature(rawBody: unknown, source: unknown): boolean {
  if (!isRaw(rawBody) || typeof source !== 'object' || source === null) return false;
  const read = (name: string): unknown => {
    if (source instanceof Headers || source instanceof Map) return source.get(name);
    // The exact lower-case name first (Node's spelling), then any case, as the verifier reads.
    const key = Object.hasOwn(source, name)
      ? name
      : Object.keys(source).find((k) => k.toLowerCase() === name);
    return key === undefined ? undefined : (source as Record<string, unknown>)[key];
  };
  const [id, timestamp, signature] = ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map(read);
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signature !== 'string') return false;
  if (!/^[0-9]+$/.test(timestamp) || Math.abs(Number(timestamp) - NOW) > 300) return false;
  const key = Buffer.from(secret.slice('whsec_'.length), 'base64');
  const expected = createHmac('sha256', key)
    .update(`${id}.${timestamp}.`)
    .update(rawBody as Uint8Array | string)
    .digest('base64');
  return signature.split(' ').some((entry) => entry.replace(/,$/, '') === `v1,${expected}`);
}

const isRaw = (value: unknown) => typeof value === 'string' || value instanceof Uint8Array;
const tableStatuses = new Set<number>(Object.values(WEBHOOK_ERROR_STATUS));

describe('random input (10,000 header objects and bodies of every JavaScript type)', () => {
  it(
    'handle() never throws, answers only from the table, and never accepts without a valid signature',
    async () => {
      const webhooks = createWebhookHandler({
        secret,
        now: () => NOW * 1000,
        logger: silentLogger,
        on: () => {},
      });
      let accepted = 0;
      await fc.assert(
        fc.asyncProperty(body, headers, async (randomBody, randomHeaders) => {
          let verifies = false;
          try {
            verifyWebhook({
              body: randomBody as never,
              headers: randomHeaders as never,
              secret,
              now: () => NOW * 1000,
            });
            verifies = true;
          } catch {}
          const answer = await webhooks.handle({ body: randomBody, headers: randomHeaders as never });
          const json = JSON.parse(answer.body) as { ok: boolean; error?: { code: string } };
          if (answer.status === 200) {
            accepted++;
            expect(hasValidSignature(randomBody, randomHeaders)).toBe(true);
            expect(verifies).toBe(true);
            expect(json.ok).toBe(true);
            return;
          }
          expect(tableStatuses.has(answer.status)).toBe(true);
          const code = json.error?.code as keyof typeof WEBHOOK_ERROR_STATUS;
          expect(WEBHOOK_ERROR_STATUS[code]).toBe(answer.status);
          // The handler never throws here and the memory store never fails: the only 5xx
          // possible is the table's row for a body that is not raw bytes.
          if (answer.status >= 500) {
            expect(code).toBe('body_already_parsed');
            expect(isRaw(randomBody)).toBe(false);
          }
        }),
        { numRuns: RUNS },
      );
      // The generators reach the accepting path too (a property that never gets there says little).
      expect(accepted).toBeGreaterThan(0);
    },
    LONG,
  );

  it(
    'verifyWebhook() throws only PasisErrors with a webhook code, and returns only for a valid signature',
    () => {
      let returned = 0;
      fc.assert(
        fc.property(body, headers, (randomBody, randomHeaders) => {
          try {
            const event = verifyWebhook({
              body: randomBody as never,
              headers: randomHeaders as never,
              secret,
              now: () => NOW * 1000,
            });
            returned++;
            expect(hasValidSignature(randomBody, randomHeaders)).toBe(true);
            // Only the genuine bytes carry a valid signature under this secret.
            expect(Buffer.from(randomBody as Uint8Array | string).toString()).toBe(genuine.body);
            expect(event).toEqual(realEvent);
          } catch (error) {
            expect(isPasisError(error)).toBe(true);
            expect(Object.hasOwn(WEBHOOK_ERROR_STATUS, (error as { code: string }).code)).toBe(true);
          }
        }),
        { numRuns: RUNS },
      );
      expect(returned).toBeGreaterThan(0);
    },
    LONG,
  );

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
