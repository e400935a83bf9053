import { createServer } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPasisError, type PasisError } from '../errors.js';
import { sleep } from './retry.js';
import { params, rejection, testClient } from './test-support/client.js';
import { closedPort, type FaultServer, faults, startFaultServer } from './test-support/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
afterEach(() => server.clear());

const keys = () => server.requests.map((r) => r.headers['idempotency-key']);

describe('retries', () => {
  it('retries 502 and 504 with the same idempotency key and body, then succeeds', async () => {
    server.enqueue(faults.html(502), faults.html(504));
    const { client, delays, logger } = testClient(server.baseUrl, {}, { random: () => 0.5 });
    const session = await client.checkout.sessions.create(params, { idempotencyKey: 'order-7' });
    expect(session.session_id).toBe('sess_12345');
    expect(keys()).toEqual(['order-7', 'order-7', 'order-7']);
    expect(new Set(server.requests.map((r) => r.body)).size).toBe(1);
    // full jitter: random · min(8 s, 500 ms · 2^n)
    expect(delays).toEqual([250, 500]);
    expect(logger.lines.filter((l) => l.level === 'debug')).toHaveLength(3);
    expect(logger.lines.filter((l) => l.level === 'warn')).toHaveLength(2);
  });

  it('a generated key is also the same on every attempt', async () => {
    server.enqueue(faults.html(502));
    const { client } = testClient(server.baseUrl);
    await client.checkout.sessions.create(params);
    expect(keys()[0]).toBeDefined();
    expect(keys()[1]).toBe(keys()[0]);
  });

  it('stops after maxRetries and reports the last status', async () => {
    server.fallback = faults.html(502);
    const { client, delays } = testClient(server.baseUrl, { maxRetries: 3 }, { random: () => 0.9999 });
    const error = await rejection(client.checkout.sessions.create(params, { idempotencyKey: 'k' }));
    expect(error).toMatchObject({ code: 'api_error', status: 502, idempotencyKey: 'k' });
    expect(server.requests).toHaveLength(4);
    expect(delays).toEqual([499, 999, 1999]);
  });

  it('maxRetries: 0 sends exactly once', async () => {
    server.fallback = faults.html(502);
    const { client } = testClient(server.baseUrl, { maxRetries: 0 });
    await rejection(client.checkout.sessions.create(params));
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    [400, faults.error(400, 'invalid_request', 'bad')],
    [500, faults.error(500, 'internal_error', 'boom')],
    [503, faults.html(503)],
    [429, faults.error(429, 'rate_limited', 'slow down')],
  ])('does not retry %i without Retry-After', async (_status, fault) => {
    server.fallback = fault;
    const { client } = testClient(server.baseUrl);
    await rejection(client.checkout.sessions.create(params));
    expect(server.requests).toHaveLength(1);
  });

  it('honours 503 + Retry-After in seconds', async () => {
    server.enqueue(faults.text(503, 'busy', { 'retry-after': '2' }));
    const { client, delays } = testClient(server.baseUrl);
    await client.checkout.sessions.create(params);
    expect(delays).toEqual([2000]);
    expect(server.requests).toHaveLength(2);
  });

  it('honours 429 + Retry-After as an HTTP-date', async () => {
    const now = Date.parse('2025-09-11T09:00:00Z');
    server.enqueue(
      faults.error(429, 'rate_limited', 'slow', {}, { 'retry-after': 'Thu, 11 Sep 2025 09:00:03 GMT' }),
    );
    const { client, delays } = testClient(server.baseUrl, {}, { now: () => now });
    await client.checkout.sessions.create(params);
    expect(delays).toEqual([3000]);
  });

  it('really waits for 429 + Retry-After: 1', async () => {
    server.enqueue(faults.error(429, 'rate_limited', 'slow', {}, { 'retry-after': '1' }));
    const { client } = testClient(server.baseUrl, {}, { sleep });
    const start = performance.now();
    await client.checkout.sessions.create(params);
    expect(performance.now() - start).toBeGreaterThanOrEqual(990);
    expect(server.requests).toHaveLength(2);
  });

  it('a Retry-After beyond maxRetryAfterMs fails at once, carrying retryAfterMs', async () => {
    server.enqueue(faults.error(429, 'rate_limited', 'slow', {}, { 'retry-after': '120' }));
    const { client, delays } = testClient(server.baseUrl);
    const error = await rejection(client.checkout.sessions.create(params));
    expect(error).toMatchObject({ code: 'rate_limited', status: 429, retryAfterMs: 120_000 });
    expect((error as PasisError).message).toMatch(/120000 ms/);
    expect(delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('rate_limited after the last retry still carries retryAfterMs', async () => {
    server.fallback = faults.error(429, 'rate_limited', 'slow', {}, { 'retry-after': '1' });
    const { client } = testClient(server.baseUrl, { maxRetries: 1 });
    expect(await rejection(client.checkout.sessions.create(params))).toMatchObject({
      code: 'rate_limited',
      retryAfterMs: 1000,
    });
    expect(server.requests).toHaveLength(2);
  });

  it('an abort during a backoff wait ends it at once', async () => {
    server.enqueue(faults.text(503, '', { 'retry-after': '30' }));
    const { client } = testClient(server.baseUrl, {}, { sleep });
    const controller = new AbortController();
    setTimeout(() => controller.abort(new Error('user left')), 100);
    const start = performance.now();
    const error = await rejection(client.checkout.sessions.create(params, { signal: controller.signal }));
    expect(isPasisError(error, 'aborted')).toBe(true);
    expect(performance.now() - start).toBeLessThan(2000);
    expect(server.requests).toHaveLength(1);
  });
});

describe('retries of connections that were never made', () => {
  it('retries ECONNREFUSED up to maxRetries, then connection_error', async () => {
    const port = await closedPort();
    let calls = 0;
    const { client, delays } = testClient(
      `http://127.0.0.1:${port}/`,
      {
        fetch: (input, init) => {
          calls++;
          return fetch(input, init);
        },
      },
      { random: () => 0 },
    );
    const error = await rejection(client.checkout.sessions.create(params, { idempotencyKey: 'k' }));
    expect(error).toMatchObject({ code: 'connection_error', idempotencyKey: 'k', status: undefined });
    expect((error as PasisError).message).toMatch(/ECONNREFUSED/);
    expect(calls).toBe(3);
    expect(delays).toEqual([0, 0]);
  });

  it('recovers when the server comes up during the backoff', async () => {
    const port = await closedPort();
    const late = createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          session_id: 'sess_late',
          amount: 5000,
          kind: 'session:created',
          payment_link: 'https://checkout.pasis.rw/pay/sess_late',
          created_at: '2025-09-11T09:00:00Z',
        }),
      );
    });
    const { client } = testClient(
      `http://127.0.0.1:${port}/`,
      {},
      { sleep: () => new Promise<void>((resolve) => late.listen(port, '127.0.0.1', resolve)) },
    );
    try {
      const session = await client.checkout.sessions.create(params);
      expect(session.session_id).toBe('sess_late');
    } finally {
      late.closeAllConnections();
      await new Promise((resolve) => late.close(resolve));
    }
  });

  it('retries a DNS failure (ENOTFOUND / EAI_AGAIN)', async () => {
    let calls = 0;
    const { client } = testClient('http://pasis-sdk-test.invalid/', {
      maxRetries: 1,
      fetch: (input, init) => {
        calls++;
        return fetch(input, init);
      },
    });
    expect(await rejection(client.checkout.sessions.create(params))).toMatchObject({
      code: 'connection_error',
    });
    expect(calls).toBe(2);
  });
});

describe('logging', () => {
  it('never logs the email, the app id or bodies', async () => {
    server.enqueue(faults.html(502));
    const { client, logger } = testClient(server.baseUrl, { appId: 'app_secretish' });
    await client.checkout.sessions.create(params);
    const text = JSON.stringify(logger.lines);
    expect(text).not.toMatch(/customer@mail\.com|app_secretish|Money Transfer|nginx/);
  });
});
