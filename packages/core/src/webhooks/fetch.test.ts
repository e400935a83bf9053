/**
 * `fetch()` decides nothing: a Fetch body too large, unreadable or already read is answered
 * by `handle()`, with the same status, headers and body as an adapter's reader gets, and the
 * same telemetry (a span and a counted delivery), which Fetch runtimes once went without.
 */
import { Readable } from 'node:stream';
import type { ReadableSpan } from '@opentelemetry/sdk-trace-base';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../logging/logger.js';
import { createTestOtel, type TestOtel } from '../telemetry/test-support/otel.js';
import { signWebhook } from '../testing/signing/sign.js';
import { createTestEvent } from '../testing/signing/test-event.js';
import { createWebhookHandler } from './receiver.js';
import type { RawBodyResult } from './receiver-types.js';
import { generateWebhookSecret } from './secret.js';

const secret = generateWebhookSecret();
const url = 'http://127.0.0.1/webhook';
const delivery = () => signWebhook(createTestEvent(), { secret });

let otel: TestOtel;
beforeEach(() => {
  otel = createTestOtel({ register: false });
});
afterEach(() => otel.shutdown());

const receiver = () =>
  createWebhookHandler({
    secret,
    maxBodyBytes: 64,
    logger: silentLogger,
    on: () => {},
    tracerProvider: otel.tracerProvider,
    meterProvider: otel.meterProvider,
  });

const failingStream = () =>
  Readable.toWeb(
    new Readable({
      read() {
        this.destroy(new Error('socket hang up'));
      },
    }),
  ) as ReadableStream;

/** Each case: a Fetch Request that ends so, and what an adapter's reader hands handle(). */
const cases: { name: string; code: string; request: () => Promise<Request>; read: RawBodyResult }[] = [
  {
    name: 'too large (declared)',
    code: 'body_too_large',
    request: async () =>
      new Request(url, { method: 'POST', body: 'x'.repeat(65), headers: delivery().headers }),
    read: { kind: 'too_large' },
  },
  {
    name: 'unreadable',
    code: 'body_unreadable',
    request: async () =>
      new Request(url, {
        method: 'POST',
        body: failingStream(),
        headers: delivery().headers,
        duplex: 'half',
      } as RequestInit),
    read: { kind: 'unreadable' },
  },
  {
    name: 'already read',
    code: 'body_already_parsed',
    request: async () => {
      const signed = delivery();
      const used = new Request(url, { method: 'POST', body: signed.body, headers: signed.headers });
      await used.json();
      return used;
    },
    read: { kind: 'consumed', parsed: createTestEvent() },
  },
];

/** What a span says about a delivery, without its timings and ids. */
const seen = (span: ReadableSpan) => ({ name: span.name, attributes: span.attributes, status: span.status });

describe('fetch() answers through handle()', () => {
  it.each(cases)('a body $name: the same answer and the same telemetry', async ({ code, request, read }) => {
    const viaFetch = await receiver().fetch(await request());
    const fetched = {
      status: viaFetch.status,
      headers: Object.fromEntries(viaFetch.headers),
      body: await viaFetch.text(),
    };
    const viaHandle = await receiver().handle({ read, headers: delivery().headers });

    expect(fetched.status).toBe(viaHandle.status);
    expect(JSON.parse(fetched.body)).toEqual(JSON.parse(viaHandle.body));
    expect(JSON.parse(fetched.body).error.code).toBe(code);
    for (const [name, value] of Object.entries(viaHandle.headers)) expect(fetched.headers[name]).toBe(value);

    const [fromFetch, fromHandle, ...more] = otel.spansNamed('pasis.webhook*');
    expect(more).toEqual([]);
    expect(fromFetch && seen(fromFetch)).toEqual(fromHandle && seen(fromHandle));
    expect(fromFetch?.attributes['pasis.webhook.outcome']).toBe(code);
    const counted = (await otel.points('pasis.webhook.deliveries')).filter(
      (point) => point.attributes['pasis.webhook.outcome'] === code,
    );
    expect(counted.map((point) => point.value)).toEqual([2]); // one from fetch, one from handle
  });

  it('answers a body read to its end but over the limit (no Content-Length) as handle() does', async () => {
    const stream = Readable.toWeb(Readable.from([Buffer.alloc(40), Buffer.alloc(40)])) as ReadableStream;
    const headers = delivery().headers;
    const viaFetch = await receiver().fetch(
      new Request(url, { method: 'POST', body: stream, headers, duplex: 'half' } as RequestInit),
    );
    const viaHandle = await receiver().handle({ body: Buffer.alloc(80), headers });
    expect(viaFetch.status).toBe(413);
    expect(await viaFetch.text()).toBe(viaHandle.body);
  });
});
