import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { PasisError } from '../errors.js';
import { params, rejection, testClient } from './test-support/client.js';
import {
  type Fault,
  type FaultServer,
  faults,
  sessionBody,
  startFaultServer,
} from './test-support/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
afterEach(() => server.clear());

describe('checkout.sessions.create: error mapping', () => {
  const key = 'order-42';
  const create = () =>
    testClient(server.baseUrl).client.checkout.sessions.create(params, { idempotencyKey: key });

  it('400 → invalid_request with issues', async () => {
    const issues = [{ path: ['items', 0, 'Amount'], message: 'must be positive' }];
    server.enqueue(faults.error(400, 'invalid_request', 'Invalid request', { issues }));
    const error = (await rejection(create())) as PasisError;
    expect(error).toBeInstanceOf(PasisError);
    expect(error).toMatchObject({ code: 'invalid_request', status: 400, idempotencyKey: key, issues });
  });

  it('404 → unknown_app', async () => {
    server.enqueue(faults.error(404, 'unknown_app', 'Unknown app_id'));
    expect(await rejection(create())).toMatchObject({
      code: 'unknown_app',
      status: 404,
      idempotencyKey: key,
    });
  });

  it("422 → phone_number_not_found, with the provider's hint", async () => {
    server.enqueue(faults.error(422, 'phone_number_not_found', 'Phone number not found'));
    const error = (await rejection(create())) as PasisError;
    expect(error).toMatchObject({ code: 'phone_number_not_found', status: 422, idempotencyKey: key });
    expect(error.message).toMatch(/Phone number not found/);
    expect(error.message).toMatch(/at most 3 approved phone numbers/);
    expect(error.message).toMatch(/Approved Numbers/);
    expect(error.message).toMatch(/verify/);
  });

  it('429 without Retry-After → rate_limited at once', async () => {
    server.enqueue(faults.error(429, 'rate_limited', 'Slow down'));
    expect(await rejection(create())).toMatchObject({
      code: 'rate_limited',
      status: 429,
      retryAfterMs: undefined,
    });
    expect(server.requests).toHaveLength(1);
  });

  it('500 → api_error with status and the provider message', async () => {
    server.enqueue(faults.error(500, 'internal_error', 'Something broke'));
    const error = (await rejection(create())) as PasisError;
    expect(error).toMatchObject({ code: 'api_error', status: 500, idempotencyKey: key });
    expect(error.message).toMatch(/Something broke/);
  });

  it.each([500, 503, 418])(
    '%i with an HTML body → api_error, no SyntaxError, no HTML in the message',
    async (s) => {
      server.enqueue(faults.html(s));
      const error = (await rejection(create())) as PasisError;
      expect(error).toMatchObject({ code: 'api_error', status: s, idempotencyKey: key });
      expect(error.message).not.toMatch(/<html>|nginx/);
      expect(error.message).toMatch(/text\/html body of \d+ bytes/);
    },
  );

  it('an empty error body → api_error', async () => {
    server.enqueue(faults.text(500, ''));
    expect(await rejection(create())).toMatchObject({ code: 'api_error', status: 500 });
  });

  it('caps a huge provider message', async () => {
    server.enqueue(faults.error(500, 'internal_error', `secret\n${'x'.repeat(10_000)}`));
    const error = (await rejection(create())) as PasisError;
    expect(error.message.length).toBeLessThan(400);
    expect(error.message).not.toMatch(/\n/);
  });

  it('302 → api_error, not followed', async () => {
    server.enqueue(faults.redirect(302, 'https://evil.example/steal'));
    const error = (await rejection(create())) as PasisError;
    expect(error).toMatchObject({ code: 'api_error', status: 302, idempotencyKey: key });
    expect(server.requests).toHaveLength(1);
  });

  it.each([
    ['invalid JSON', faults.text(200, '{"session_id": ', { 'content-type': 'application/json' })],
    ['an empty body', faults.text(200, '')],
    ['no payment_link', faults.json(200, sessionBody({ payment_link: undefined }))],
    ['a malformed payment_link', faults.json(200, sessionBody({ payment_link: 'not a url' }))],
    ['no session_id', faults.json(200, sessionBody({ session_id: undefined }))],
    ['a body over 1 MiB', faults.text(200, 'x'.repeat(2 * 1024 * 1024))],
    [
      'a chunked body over 1 MiB',
      ((_req, res) => {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 40; i++) res.write('x'.repeat(64 * 1024));
        res.end();
      }) as Fault,
    ],
  ])('200 with %s → invalid_response', async (_label, fault) => {
    server.enqueue(fault);
    expect(await rejection(create())).toMatchObject({
      code: 'invalid_response',
      status: 200,
      idempotencyKey: key,
    });
  });
});
