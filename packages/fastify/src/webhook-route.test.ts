// The webhook route's Fastify side: Fastify's own bounded reader and hooks, the app's
// error handler for what is not core's, request.log. (@pasis/core/node owns the route.)
import { Writable } from 'node:stream';
import { createGunzip, gzipSync } from 'node:zlib';
import { type PasisLogger, silentLogger } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pasis from './index.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

function track(app: FastifyInstance) {
  apps.push(app);
  return app;
}

function injectDelivery(
  app: FastifyInstance,
  delivery: ReturnType<typeof signWebhook>,
  extra: Record<string, string> = {},
) {
  return app.inject({
    method: 'POST',
    url: '/webhook',
    payload: delivery.body,
    headers: { ...delivery.headers, ...extra },
  });
}

/** A tracked Fastify app logging at debug into `lines` (one JSON line each). */
function loggingApp() {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk, _enc, cb) {
      lines.push(String(chunk));
      cb();
    },
  });
  return { app: track(Fastify({ logger: { level: 'debug', stream } })), lines };
}

describe('the webhook route', () => {
  it('verifies application/json with parameters over the exact bytes', async () => {
    const handler = vi.fn();
    const app = track(Fastify());
    await app.register(pasis, { webhook: { secret, logger: silentLogger, on: handler } });
    const spaced = signWebhook(
      `{ "kind":"session:processed", "session_id":"sess_9", "amount":5000, "status":"success" }`,
      { secret },
    );
    const res = await injectDelivery(app, spaced, { 'content-type': 'application/json; charset=utf-8' });
    expect(res.statusCode).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it("applies the app's preParsing hooks (a gzip-encoded delivery is verified over its decoded bytes)", async () => {
    const handler = vi.fn();
    const app = track(Fastify());
    app.addHook('preParsing', async (request, _reply, payload) => {
      if (request.headers['content-encoding'] !== 'gzip') return payload;
      // As Fastify asks of a hook that changes the stream: the length as received on the wire.
      const gunzip = Object.assign(createGunzip(), {
        receivedEncodedLength: Number(request.headers['content-length']),
      });
      payload.pipe(gunzip);
      return gunzip;
    });
    await app.register(pasis, { webhook: { secret, logger: silentLogger, on: handler } });
    const delivery = signWebhook(event, { secret });
    const res = await app.inject({
      method: 'POST',
      url: '/webhook',
      payload: gzipSync(delivery.body),
      headers: { ...delivery.headers, 'content-encoding': 'gzip' },
    });
    expect(res.statusCode).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('answers an empty POST (no body, no content type) from core, not with a parser error', async () => {
    const app = track(Fastify());
    await app.register(pasis, { webhook: { secret, logger: silentLogger } });
    const res = await app.inject({ method: 'POST', url: '/webhook' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('missing_header');
  });

  it('leaves every other error of the route to the application', async () => {
    const app = track(Fastify());
    app.setErrorHandler((error: Error, _request, reply) => reply.code(418).send({ mine: error.message }));
    app.addHook('preParsing', async (request) => {
      if (request.headers['x-break'] === 'yes') throw new Error('broken hook');
    });
    await app.register(pasis, { webhook: { secret, logger: silentLogger } });
    const res = await injectDelivery(app, signWebhook(event, { secret }), { 'x-break': 'yes' });
    expect(res.statusCode).toBe(418);
    expect(res.json()).toEqual({ mine: 'broken hook' });
  });

  it('logs each delivery through request.log by default, never the secret', async () => {
    const { app, lines } = loggingApp();
    await app.register(pasis, { webhook: { secret } });
    await injectDelivery(app, signWebhook(event, { secret: generateWebhookSecret() }));
    const rejected = lines.map((l) => JSON.parse(l)).find((l) => String(l.msg).includes('rejected'));
    expect(rejected).toMatchObject({ reqId: expect.any(String), code: 'no_matching_signature' });
    expect(lines.join('')).not.toContain(secret.slice('whsec_'.length));
  });

  // The route keeps the bridge over the last request.log (one object while logging is off):
  // with logging on, each request's child logger must still get its own lines.
  it("logs each delivery through its own request's logger, one after another", async () => {
    const { app, lines } = loggingApp();
    await app.register(pasis, { webhook: { secret } });
    for (let i = 0; i < 3; i++) {
      await injectDelivery(app, signWebhook(event, { secret: generateWebhookSecret() }));
    }
    const parsed = lines.map((l) => JSON.parse(l));
    const rejected = parsed.filter((l) => String(l.msg).includes('rejected'));
    const incoming = parsed.filter((l) => l.msg === 'incoming request');
    expect(rejected.map((l) => l.reqId)).toEqual(incoming.map((l) => l.reqId));
    expect(new Set(rejected.map((l) => l.reqId)).size).toBe(3);
  });

  it('logs to the logger given (webhook.logger, else logger) instead of request.log', async () => {
    for (const where of ['webhook', 'plugin'] as const) {
      const seen: string[] = [];
      const logger: PasisLogger = { ...silentLogger, warn: (message) => void seen.push(message) };
      const app = track(Fastify());
      await app.register(
        pasis,
        where === 'webhook' ? { webhook: { secret, logger } } : { logger, webhook: { secret } },
      );
      await injectDelivery(app, signWebhook(event, { secret: generateWebhookSecret() }));
      expect(seen, where).toEqual(['Pasis webhook rejected: no_matching_signature']);
    }
  });
});
