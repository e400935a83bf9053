/**
 * Client calls under the OpenTelemetry SDK (in-memory exporters), against a real local HTTP
 * server: a retrieve answered 500 then 200, a create retried after a 502, a call that fails
 * for good, and a 200 without a valid session.
 */
import { SpanKind, SpanStatusCode } from '@opentelemetry/api';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { params, rejection, testClient } from '../client/test-support/client.js';
import { type FaultServer, faults, startFaultServer } from '../client/test-support/fault-server.js';
import { isPasisError } from '../errors.js';
import { redactedUrl } from './client-call.js';
import {
  createTestOtel,
  histogram,
  pointWith,
  spanText,
  type TestOtel,
  useAsyncContext,
} from './test-support/otel.js';

let server: FaultServer;
let otel: TestOtel;
beforeAll(async () => {
  useAsyncContext();
  server = await startFaultServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.clear();
  otel = createTestOtel();
});
afterEach(() => otel.shutdown());

describe('a retrieve answered 500, then 200', () => {
  it('is one CLIENT span named after the template, with the retry as an event', async () => {
    server.enqueue(faults.error(500, 'internal_error', 'boom'), faults.retrieved({ session_id: 'sess_1' }));
    const { client } = testClient(server.baseUrl);
    const session = await client.checkout.sessions.retrieve('sess_1');
    expect(session.status).toBe('success');

    const spans = otel.spans();
    expect(spans).toHaveLength(1);
    const [span] = spans;
    expect(span?.name).toBe('GET /api/checkouts/{session_id}');
    expect(span?.kind).toBe(SpanKind.CLIENT);
    expect(span?.status.code).toBe(SpanStatusCode.UNSET);
    expect(span?.attributes).toEqual({
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'url.template': '/api/checkouts/{session_id}',
      // app_id is what authenticates a create: never in a span.
      'url.full': `${server.baseUrl}api/checkouts/sess_1?app_id=REDACTED`,
      'http.response.status_code': 200,
      'http.request.resend_count': 1,
      'pasis.checkout.session_id': 'sess_1',
    });
    expect(span?.events.map((e) => [e.name, e.attributes])).toEqual([
      [
        'pasis.client.retry',
        {
          'http.request.resend_count': 1,
          'pasis.client.retry.delay': expect.any(Number),
          'http.response.status_code': 500,
          'error.type': '500',
          'pasis.error.code': 'api_error',
        },
      ],
    ]);
  });

  it('records http.client.request.duration per attempt, by status', async () => {
    server.enqueue(faults.error(500, 'internal_error', 'boom'), faults.retrieved({ session_id: 'sess_1' }));
    const { client } = testClient(server.baseUrl);
    await client.checkout.sessions.retrieve('sess_1');
    const points = await otel.points('http.client.request.duration');
    expect(points).toHaveLength(2);
    const common = {
      'http.request.method': 'GET',
      'server.address': '127.0.0.1',
      'server.port': server.port,
      'url.template': '/api/checkouts/{session_id}',
    };
    expect(pointWith(points, { 'http.response.status_code': 500 })?.attributes).toEqual({
      ...common,
      'http.response.status_code': 500,
      'error.type': '500',
    });
    expect(pointWith(points, { 'http.response.status_code': 200 })?.attributes).toEqual({
      ...common,
      'http.response.status_code': 200,
    });
    for (const point of points) expect(histogram(point).count).toBe(1);
  });
});

it('a create retried after a 502 is one POST span with one retry event', async () => {
  server.enqueue(faults.html(502), faults.session());
  const { client } = testClient(server.baseUrl);
  const created = await client.checkout.sessions.create(params);
  const [span] = otel.spans();
  expect(span?.name).toBe('POST /api/checkouts/initiate');
  expect(span?.attributes).toMatchObject({
    'url.full': `${server.baseUrl}api/checkouts/initiate`,
    'http.response.status_code': 200,
    'http.request.resend_count': 1,
    'pasis.checkout.session_id': created.session_id,
  });
  expect(span?.events).toHaveLength(1);
  expect(span?.events[0]?.attributes?.['error.type']).toBe('502');
});

describe('a call that fails', () => {
  it('after every retry: ERROR, error.type the last status, the code, no message', async () => {
    server.fallback = faults.error(503, 'internal_error', 'down for jane@example.com');
    const { client } = testClient(server.baseUrl);
    const error = await rejection(client.checkout.sessions.retrieve('sess_1'));
    expect(isPasisError(error, 'api_error')).toBe(true);
    const [span] = otel.spans();
    expect(span?.status).toEqual({ code: SpanStatusCode.ERROR, message: 'api_error' });
    expect(span?.attributes).toMatchObject({
      'http.response.status_code': 503,
      'http.request.resend_count': 2,
      'error.type': '503',
      'pasis.error.code': 'api_error',
    });
    expect(span?.events).toHaveLength(2);
    expect(spanText(span!)).not.toContain('jane');
    expect(await otel.points('http.client.request.duration')).toHaveLength(1); // one series: 3 attempts
    expect(histogram((await otel.points('http.client.request.duration'))[0]).count).toBe(3);
  });

  it('without an answer: error.type is the code', async () => {
    server.fallback = faults.reset();
    const { client } = testClient(server.baseUrl, { maxRetries: 0 });
    await rejection(client.checkout.sessions.retrieve('sess_1'));
    const [span] = otel.spans();
    expect(span?.attributes).toMatchObject({
      'error.type': 'connection_error',
      'pasis.error.code': 'connection_error',
    });
    expect(span?.attributes['http.response.status_code']).toBeUndefined();
  });

  it('a 200 without a valid session: the span covers the parse too', async () => {
    server.enqueue(faults.json(200, { nope: true }));
    const { client } = testClient(server.baseUrl);
    await rejection(client.checkout.sessions.create(params));
    const [span] = otel.spans();
    expect(span?.status.code).toBe(SpanStatusCode.ERROR);
    expect(span?.attributes).toMatchObject({
      'http.response.status_code': 200,
      'error.type': 'invalid_response',
      'pasis.error.code': 'invalid_response',
    });
  });

  it('a validation error sends nothing and records nothing', async () => {
    const { client } = testClient(server.baseUrl);
    await rejection(client.checkout.sessions.create({ items: [], email: 'x' } as never));
    expect(otel.spans()).toHaveLength(0);
    expect(server.requests).toHaveLength(0);
  });
});

it('explicit providers on the client win over the globals', async () => {
  const own = createTestOtel({ register: false });
  try {
    const { client } = testClient(server.baseUrl, {
      tracerProvider: own.tracerProvider,
      meterProvider: own.meterProvider,
    });
    await client.checkout.sessions.create(params);
    expect(own.spans()).toHaveLength(1);
    expect(await own.points('http.client.request.duration')).toHaveLength(1);
    expect(otel.spans()).toHaveLength(0);
  } finally {
    await own.shutdown();
  }
});

it('redactedUrl keeps the path and replaces every query value', () => {
  expect(redactedUrl(new URL('https://checkout.pasis.rw/api/checkouts/s%201?app_id=abc&x=1'))).toBe(
    'https://checkout.pasis.rw/api/checkouts/s%201?app_id=REDACTED&x=REDACTED',
  );
  expect(redactedUrl(new URL('https://checkout.pasis.rw/api/checkouts/initiate'))).toBe(
    'https://checkout.pasis.rw/api/checkouts/initiate',
  );
});
