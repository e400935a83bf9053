import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { isPasisError, type PasisError } from '../errors.js';
import { checkoutErrorStatus } from './error-status.js';
import { rejection, testClient } from './test-support/client.js';
import { type FaultServer, faults, retrievedBody, startFaultServer } from './test-support/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
beforeEach(() => {
  server.fallback = faults.retrieved();
});
afterEach(() => server.clear());

const retrieve = (id = 'sess_12345', options = {}, internals = {}) =>
  testClient(server.baseUrl, options, internals).client.checkout.sessions.retrieve(id);

describe('checkout.sessions.retrieve: the wire (CONTRACT §1b)', () => {
  it('GETs the session with the app id, Accept only, and returns it typed', async () => {
    const session = await retrieve();
    expect(session).toEqual(retrievedBody());
    const [req] = server.requests;
    expect(req?.method).toBe('GET');
    expect(req?.url).toBe('/api/checkouts/sess_12345?app_id=app_test');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers['content-type']).toBeUndefined();
    expect(req?.headers['idempotency-key']).toBeUndefined();
    expect(req?.bytes).toBe(0);
  });

  it('encodes the id and the app id, and keeps a baseUrl path prefix', async () => {
    const id = 'sess/../?#%x';
    server.fallback = faults.retrieved({ session_id: id });
    const { client } = testClient(`${server.baseUrl}pasis`, { appId: 'app &=1' });
    await client.checkout.sessions.retrieve(id);
    expect(server.requests[0]?.url).toBe('/pasis/api/checkouts/sess%2F..%2F%3F%23%25x?app_id=app%20%26%3D1');
  });

  it.each([
    ['open, without completed_at', { status: 'open', completed_at: undefined }],
    ['cancelled', { status: 'cancelled' }],
    ['with unknown fields', { currency: 'RWF', future: { x: 1 } }],
    [
      'without the optional fields',
      { payment_link: undefined, created_at: undefined, completed_at: undefined },
    ],
  ])('accepts a session %s', async (_label, overrides) => {
    server.fallback = faults.retrieved(overrides);
    expect(await retrieve()).toEqual(JSON.parse(JSON.stringify(retrievedBody(overrides))));
  });
});

describe('checkout.sessions.retrieve: refused before any request', () => {
  it.each([
    ['an empty id', ''],
    ['a dot segment', '..'],
    ['a single dot', '.'],
    ['a space', 'sess 1'],
    ['a non-ASCII id', 'séss'],
    ['an id over 255 characters', 's'.repeat(256)],
    ['a number', 42],
    ['undefined', undefined],
  ])('%s → validation_error, never quoted', async (_label, id) => {
    const { client } = testClient(server.baseUrl);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    const error = (await rejection(client.checkout.sessions.retrieve(id as any))) as PasisError;
    expect(error).toMatchObject({ code: 'validation_error', issues: [{ path: ['sessionId'] }] });
    if (typeof id === 'string' && id.length > 2) expect(error.message).not.toContain(id);
    expect(server.requests).toHaveLength(0);
  });

  it('bad options → validation_error; an aborted signal → aborted; nothing sent', async () => {
    const { client } = testClient(server.baseUrl);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    const bad = await rejection(client.checkout.sessions.retrieve('sess_1', { signal: {} as any }));
    expect(isPasisError(bad, 'validation_error')).toBe(true);
    const aborted = await rejection(
      client.checkout.sessions.retrieve('sess_1', { signal: AbortSignal.abort() }),
    );
    expect(isPasisError(aborted, 'aborted')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});

describe('checkout.sessions.retrieve: errors', () => {
  it('404 unknown_session → a typed unknown_session, not retried, 404 for a page', async () => {
    server.fallback = faults.error(404, 'unknown_session', 'No such session');
    const error = (await rejection(retrieve())) as PasisError;
    expect(error).toMatchObject({ code: 'unknown_session', status: 404 });
    expect(error.idempotencyKey).toBeUndefined();
    expect(error.message).toMatch(/does not know this checkout session/);
    expect(checkoutErrorStatus(error)).toBe(404);
    expect(server.requests).toHaveLength(1);
  });

  it('a bare 404 (a proxy, a wrong baseUrl) is api_error, never unknown_session', async () => {
    server.fallback = faults.html(404);
    expect(await rejection(retrieve())).toMatchObject({ code: 'api_error', status: 404 });
  });

  it.each([
    ['invalid JSON', faults.text(200, '{"session_id": ', { 'content-type': 'application/json' })],
    ['an empty body', faults.text(200, '')],
    ['an unknown status', faults.retrieved({ status: 'paid' })],
    ['no status', faults.retrieved({ status: undefined })],
    ['a fractional amount', faults.retrieved({ amount: 1.5 })],
    ['a string amount', faults.retrieved({ amount: '5000' })],
    ['a javascript: payment_link', faults.retrieved({ payment_link: 'javascript:alert(1)' })],
    ['a numeric completed_at', faults.retrieved({ completed_at: 7 })],
    ['another session', faults.retrieved({ session_id: 'sess_other' })],
  ])('200 with %s → invalid_response, not retried', async (_label, fault) => {
    server.fallback = fault;
    const error = (await rejection(retrieve())) as PasisError;
    expect(error).toMatchObject({ code: 'invalid_response', status: 200 });
    expect(error.message).not.toMatch(/sess_other|paid|javascript/);
    expect(server.requests).toHaveLength(1);
  });
});

describe('checkout.sessions.retrieve: retries (a GET is safe to repeat)', () => {
  it('retries 500 and 503 without Retry-After, then succeeds, with jittered backoff', async () => {
    server.enqueue(faults.error(500, 'internal_error', 'boom'), faults.html(503));
    const { client, delays, logger } = testClient(server.baseUrl, {}, { random: () => 0.5 });
    expect((await client.checkout.sessions.retrieve('sess_12345')).status).toBe('success');
    expect(server.requests.map((r) => r.method)).toEqual(['GET', 'GET', 'GET']);
    expect(delays).toEqual([250, 500]);
    expect(logger.lines.filter((l) => l.level === 'warn').map((l) => l.message)).toEqual([
      'pasis: GET /api/checkouts/sess_12345 failed (HTTP 500); retrying in 250 ms',
      'pasis: GET /api/checkouts/sess_12345 failed (HTTP 503); retrying in 500 ms',
    ]);
    expect(JSON.stringify(logger.lines)).not.toMatch(/app_test/);
  });

  it('gives up after maxRetries with the last error', async () => {
    server.fallback = faults.error(500, 'internal_error', 'boom');
    const error = await rejection(retrieve('sess_12345', { maxRetries: 3 }));
    expect(error).toMatchObject({ code: 'api_error', status: 500 });
    expect(server.requests).toHaveLength(4);
  });

  it('honours 429 + Retry-After, and fails at once beyond maxRetryAfterMs', async () => {
    server.enqueue(faults.error(429, 'rate_limited', 'slow', {}, { 'retry-after': '2' }));
    const first = testClient(server.baseUrl);
    await first.client.checkout.sessions.retrieve('sess_12345');
    expect(first.delays).toEqual([2000]);
    server.clear();
    server.fallback = faults.error(429, 'rate_limited', 'slow', {}, { 'retry-after': '120' });
    const second = testClient(server.baseUrl);
    const error = await rejection(second.client.checkout.sessions.retrieve('sess_12345'));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 120_000 });
    expect(second.delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
  });

  it('maxRetries per call: 0 makes one attempt and never waits on Retry-After', async () => {
    server.fallback = faults.error(429, 'rate_limited', 'slow', {}, { 'retry-after': '2' });
    const { client, delays } = testClient(server.baseUrl, { maxRetries: 5 });
    const error = await rejection(client.checkout.sessions.retrieve('sess_12345', { maxRetries: 0 }));
    expect(error).toMatchObject({ code: 'rate_limited', retryAfterMs: 2000 });
    expect(delays).toEqual([]);
    expect(server.requests).toHaveLength(1);
    server.clear();
    server.fallback = faults.error(500, 'internal_error', 'boom');
    expect(await rejection(client.checkout.sessions.retrieve('sess_12345', { maxRetries: 1 }))).toMatchObject(
      {
        code: 'api_error',
      },
    );
    expect(server.requests).toHaveLength(2);
    for (const bad of [-1, 11, 1.5, '0']) {
      const refused = await rejection(
        client.checkout.sessions.retrieve('sess_12345', { maxRetries: bad as number }),
      );
      expect(refused).toMatchObject({ code: 'validation_error', issues: [{ path: ['maxRetries'] }] });
    }
    expect(server.requests).toHaveLength(2);
  });

  it('a stalled answer times out per attempt, is retried, and then succeeds', async () => {
    server.enqueue(faults.stall());
    const { client, delays } = testClient(server.baseUrl, { timeoutMs: 150 }, { random: () => 0 });
    expect((await client.checkout.sessions.retrieve('sess_12345')).session_id).toBe('sess_12345');
    expect(server.requests).toHaveLength(2);
    expect(delays).toEqual([0]);
  });

  it('a timeout on every attempt → timeout, saying nothing about a created session', async () => {
    server.fallback = faults.stallBody();
    const error = (await rejection(retrieve('sess_12345', { timeoutMs: 100, maxRetries: 1 }))) as PasisError;
    expect(error).toMatchObject({ code: 'timeout', status: 200 });
    expect(error.message).not.toMatch(/created/);
    expect(server.requests).toHaveLength(2);
  });
});

// One row per fault: how many attempts a create (POST) and a retrieve (GET) make with
// maxRetries: 2. The POST column is the create's narrow rule; the GET column the wider one.
describe('the retry matrix: create vs retrieve', () => {
  const rateLimited = (headers = {}) => faults.error(429, 'rate_limited', 'slow', {}, headers);
  it.each([
    ['400 invalid_request', 1, 1, () => faults.error(400, 'invalid_request', 'bad')],
    ['404 unknown_session', 1, 1, () => faults.error(404, 'unknown_session', 'none')],
    ['401 from a proxy', 1, 1, () => faults.html(401)],
    ['429 without Retry-After', 1, 3, () => rateLimited()],
    ['429 with Retry-After', 3, 3, () => rateLimited({ 'retry-after': '1' })],
    ['500', 1, 3, () => faults.error(500, 'internal_error', 'boom')],
    ['501', 1, 1, () => faults.html(501)],
    ['502', 3, 3, () => faults.html(502)],
    ['503 without Retry-After', 1, 3, () => faults.html(503)],
    ['504', 3, 3, () => faults.html(504)],
    ['a reset after the request was read', 1, 3, () => faults.reset()],
    ['a 302 redirect', 1, 1, () => faults.redirect(302, 'https://evil.example/')],
    ['a 200 that is not JSON', 1, 1, () => faults.text(200, '<html>')],
  ])('%s: create %i attempt(s), retrieve %i', async (_label, posts, gets, fault) => {
    server.fallback = fault();
    const { client } = testClient(server.baseUrl);
    const params = { items: [{ name: 'Money Transfer', amount: 5000 }], email: 'customer@mail.com' };
    await rejection(client.checkout.sessions.create(params));
    expect(server.requests.filter((r) => r.method === 'POST')).toHaveLength(posts);
    await rejection(client.checkout.sessions.retrieve('sess_12345'));
    expect(server.requests.filter((r) => r.method === 'GET')).toHaveLength(gets);
  });
});
