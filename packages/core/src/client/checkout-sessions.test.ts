import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { isPasisError, PasisError } from '../errors.js';
import { params, rejection, testClient } from './test-support/client.js';
import { type FaultServer, faults, sessionBody, startFaultServer } from './test-support/fault-server.js';

let server: FaultServer;
beforeAll(async () => {
  server = await startFaultServer();
});
afterAll(() => server.close());
afterEach(() => server.clear());

describe('checkout.sessions.create: the wire', () => {
  it('POSTs the documented request and returns the session', async () => {
    const { client } = testClient(server.baseUrl);
    const session = await client.checkout.sessions.create(params, { idempotencyKey: 'order-1' });
    expect(session).toEqual(sessionBody());
    const [req] = server.requests;
    expect(req?.method).toBe('POST');
    expect(req?.url).toBe('/api/checkouts/initiate');
    expect(req?.headers.accept).toBe('application/json');
    expect(req?.headers['content-type']).toBe('application/json');
    expect(req?.headers['idempotency-key']).toBe('order-1');
    expect(JSON.parse(req?.body ?? '')).toEqual({
      items: [{ name: 'Money Transfer', Amount: 5000 }],
      app_id: 'app_test',
      email: 'customer@mail.com',
    });
  });

  it('keeps a baseUrl path prefix', async () => {
    const { client } = testClient(`${server.baseUrl}pasis`);
    await client.checkout.sessions.create(params);
    expect(server.requests[0]?.url).toBe('/pasis/api/checkouts/initiate');
  });

  it('generates a UUID idempotency key when none is given', async () => {
    const { client } = testClient(server.baseUrl);
    await client.checkout.sessions.create(params);
    await client.checkout.sessions.create(params);
    const keys = server.requests.map((r) => r.headers['idempotency-key']);
    expect(keys[0]).toMatch(/^[0-9a-f-]{36}$/);
    expect(keys[1]).not.toBe(keys[0]);
  });

  it('sends unicode names with a Content-Length in bytes', async () => {
    const { client } = testClient(server.baseUrl);
    const name = 'Amafaranga 💸 — café ñ 日本';
    await client.checkout.sessions.create({ items: [{ name, amount: 100 }], email: 'a@b.co' });
    const [req] = server.requests;
    expect(Number(req?.headers['content-length'])).toBe(req?.bytes);
    expect(req?.bytes).toBe(Buffer.byteLength(req?.body ?? ''));
    expect(JSON.parse(req?.body ?? '').items[0].name).toBe(name);
  });

  it('keeps unknown response fields', async () => {
    server.enqueue(faults.session({ currency: 'RWF', future: { x: 1 } }));
    const { client } = testClient(server.baseUrl);
    const session = await client.checkout.sessions.create(params);
    expect(session.currency).toBe('RWF');
    expect(session.future).toEqual({ x: 1 });
  });
});

describe('checkout.sessions.create: validation before any request', () => {
  it.each([
    ['bad params', { items: [], email: 'x' }, undefined],
    ['undefined params', undefined, undefined],
    ['a bad idempotency key', params, { idempotencyKey: 'has space' }],
    ['an empty idempotency key', params, { idempotencyKey: '' }],
    ['a bad signal', params, { signal: {} }],
  ])('%s: rejects with validation_error and sends nothing', async (_label, input, options) => {
    const { client } = testClient(server.baseUrl);
    // biome-ignore lint/suspicious/noExplicitAny: deliberately wrong input
    const call = () => client.checkout.sessions.create(input as any, options as any);
    let pending: Promise<unknown> | undefined;
    expect(() => {
      pending = call();
    }).not.toThrow();
    const error = await rejection(pending as Promise<unknown>);
    expect(isPasisError(error, 'validation_error')).toBe(true);
    expect((error as PasisError).issues?.length).toBeGreaterThan(0);
    expect(server.requests).toHaveLength(0);
  });

  it('an already aborted signal rejects with aborted and sends nothing', async () => {
    const { client } = testClient(server.baseUrl);
    const error = await rejection(client.checkout.sessions.create(params, { signal: AbortSignal.abort() }));
    expect(isPasisError(error, 'aborted')).toBe(true);
    expect(server.requests).toHaveLength(0);
  });
});

describe('checkout.sessions.create: timeouts and broken connections', () => {
  it('a stalled response → timeout, not retried', async () => {
    server.enqueue(faults.stall());
    const { client } = testClient(server.baseUrl, { timeoutMs: 100 });
    const error = await rejection(client.checkout.sessions.create(params, { idempotencyKey: 'k1' }));
    expect(error).toMatchObject({ code: 'timeout', idempotencyKey: 'k1', status: undefined });
    expect(server.requests).toHaveLength(1);
  });

  it('a body that stalls after the headers → timeout with the status', async () => {
    server.enqueue(faults.stallBody());
    const { client } = testClient(server.baseUrl, { timeoutMs: 100 });
    expect(await rejection(client.checkout.sessions.create(params))).toMatchObject({
      code: 'timeout',
      status: 200,
    });
  });

  it('a reset after sending → connection_error, never retried', async () => {
    server.enqueue(faults.reset(), faults.reset(), faults.reset());
    const { client } = testClient(server.baseUrl);
    const error = await rejection(client.checkout.sessions.create(params, { idempotencyKey: 'k2' }));
    expect(error).toMatchObject({ code: 'connection_error', idempotencyKey: 'k2' });
    expect(server.requests).toHaveLength(1);
  });

  it('the caller aborting mid-request → aborted', async () => {
    server.enqueue(faults.stall());
    const { client } = testClient(server.baseUrl);
    const controller = new AbortController();
    setTimeout(() => controller.abort(), 50);
    const error = await rejection(client.checkout.sessions.create(params, { signal: controller.signal }));
    expect(error).toMatchObject({ code: 'aborted' });
  });
});
