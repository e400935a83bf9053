// The webhook route's body handling: Fastify's own bounded reader, core's answers.
import { request as httpRequest } from 'node:http';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pasis from './index.js';

const secret = generateWebhookSecret();
const event = { kind: 'session:processed', session_id: 'sess_1', amount: 5000, status: 'success' };
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function track(app: FastifyInstance) {
  apps.push(app);
  return app;
}

/** Injects a signed delivery with extra headers. */
function injectDelivery(
  app: FastifyInstance,
  delivery: ReturnType<typeof signWebhook>,
  extra: Record<string, string>,
) {
  return app.inject({
    method: 'POST',
    url: '/webhook',
    payload: delivery.body,
    headers: { ...delivery.headers, ...extra },
  });
}

/** POSTs `chunks` with chunked transfer encoding (no Content-Length), as a streaming sender would. */
function postChunked(url: string, headers: Record<string, string>, chunks: string[]) {
  return new Promise<{ status: number; body: string; connection?: string }>((resolve, reject) => {
    const req = httpRequest(url, { method: 'POST', headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body, connection: res.headers.connection }));
    });
    req.on('error', (error: NodeJS.ErrnoException) => {
      // The server may close the socket once it answered 413 without reading the rest.
      if (error.code !== 'ECONNRESET' && error.code !== 'EPIPE') reject(error);
    });
    for (const chunk of chunks) req.write(chunk);
    req.end();
  });
}

describe('the webhook route reads raw bytes', () => {
  it('verifies application/json with parameters over the exact bytes', async () => {
    const handler = vi.fn();
    const app = track(Fastify());
    await app.register(pasis, { webhook: { secret, handlers: handler } });
    const spaced = signWebhook(
      `{ "kind":"session:processed", "session_id":"sess_9", "amount":5000, "status":"success" }`,
      { secret },
    );
    const res = await injectDelivery(app, spaced, { 'content-type': 'application/json; charset=utf-8' });
    expect(res.statusCode).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("answers 413 from core's table for a streamed body without Content-Length", async () => {
    const handler = vi.fn();
    const app = track(Fastify());
    await app.register(pasis, { webhook: { secret, maxBodyBytes: 1024, handlers: handler } });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const { body: _, headers } = signWebhook(event, { secret });
    const res = await postChunked(
      `${url}/webhook`,
      headers,
      Array.from({ length: 8 }, () => 'x'.repeat(512)),
    );
    expect(res.status).toBe(413);
    expect(JSON.parse(res.body)).toMatchObject({ ok: false, error: { code: 'body_too_large' } });
    expect(handler).not.toHaveBeenCalled();
  });

  it('leaves every other error of the route to the application', async () => {
    const app = track(Fastify());
    app.setErrorHandler((error: Error, _request, reply) => reply.code(418).send({ mine: error.message }));
    app.addHook('preParsing', async (request) => {
      if (request.headers['x-break'] === 'yes') throw new Error('broken hook');
    });
    await app.register(pasis, { webhook: { secret } });
    const res = await injectDelivery(app, signWebhook(event, { secret }), { 'x-break': 'yes' });
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ mine: 'broken hook' });
  });
});
