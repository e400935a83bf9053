import { Writable } from 'node:stream';
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

async function build(options: Parameters<typeof pasis>[1] = { webhook: { secret } }, logLines?: string[]) {
  const stream = new Writable({
    write(chunk, _enc, cb) {
      logLines?.push(String(chunk));
      cb();
    },
  });
  const app = Fastify({ logger: { level: 'debug', stream } });
  apps.push(app);
  await app.register(pasis, options);
  app.post('/orders', async (request) => ({ received: request.body, type: typeof request.body }));
  return app;
}

const inject = (
  app: FastifyInstance,
  delivery: { body: string; headers: Record<string, string> },
  url = '/webhook',
) => app.inject({ method: 'POST', url, payload: delivery.body, headers: delivery.headers });

describe('@pasis/fastify', () => {
  it('runs the handler once for a valid delivery; a replay is a duplicate', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const app = await build({ webhook: { secret, handlers: { 'session:processed': handler } } });
    const delivery = signWebhook(event, { secret });
    const first = await inject(app, delivery);
    expect(first.statusCode).toBe(200);
    expect(first.json()).toEqual({ ok: true, outcome: 'handled' });
    expect((await inject(app, delivery)).json().outcome).toBe('duplicate');
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]![0]).toEqual(event);
  });

  it('answers 401 to a bad signature; no handler runs', async () => {
    const app = await build();
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    app.pasis.on('session:processed', handler);
    const res = await inject(app, signWebhook(event, { secret: generateWebhookSecret() }));
    expect(res.statusCode).toBe(401);
    expect(res.json().error.code).toBe('no_matching_signature');
    expect(handler).not.toHaveBeenCalled();
  });

  it('keeps JSON parsing for the rest of the app', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/orders', payload: { a: 1 } });
    expect(res.json()).toEqual({ received: { a: 1 }, type: 'object' });
  });

  it('verifies text/plain and a missing content type over the raw bytes', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const app = await build({ webhook: { secret, handlers: handler } });
    const plain = signWebhook(event, { secret });
    expect(
      (await inject(app, { body: plain.body, headers: { ...plain.headers, 'content-type': 'text/plain' } }))
        .statusCode,
    ).toBe(200);
    const bare = signWebhook({ ...event, session_id: 'sess_2' }, { secret });
    const { 'content-type': _, ...noType } = bare.headers;
    expect((await inject(app, { body: bare.body, headers: noType })).statusCode).toBe(200);
    // Bytes exactly as sent: whitespace a JSON parser would drop is part of the signature.
    const spaced = signWebhook(
      `{ "kind" : "session:processed", "session_id":"sess_3","amount":5000, "status":"success" }`,
      { secret },
    );
    expect((await inject(app, spaced)).statusCode).toBe(200);
    expect(handler).toHaveBeenCalledTimes(3);
  });

  it('answers an empty body with core 400s, not a parser error', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/webhook' });
    expect(res.statusCode).toBe(400);
    expect(res.json().error.code).toBe('missing_header');
  });

  it("answers 413 past maxBodyBytes with core's body", async () => {
    const app = await build({ webhook: { secret, maxBodyBytes: 512 } });
    const res = await inject(app, signWebhook({ ...event, pad: 'x'.repeat(2048) }, { secret }));
    expect(res.statusCode).toBe(413);
    expect(res.json().error.code).toBe('body_too_large');
  });

  it('answers 500 when a handler throws, then handles the redelivery', async () => {
    let calls = 0;
    const app = await build();
    app.pasis.on('session:processed', async () => {
      calls++;
      if (calls === 1) throw new Error('db down');
    });
    const delivery = signWebhook(event, { secret });
    expect((await inject(app, delivery)).statusCode).toBe(500);
    expect((await inject(app, delivery)).statusCode).toBe(200);
    expect(calls).toBe(2);
  });

  it('logs through request.log', async () => {
    const lines: string[] = [];
    const app = await build({ webhook: { secret } }, lines);
    await inject(app, signWebhook(event, { secret: generateWebhookSecret() }));
    const rejected = lines.map((l) => JSON.parse(l)).find((l) => String(l.msg).includes('rejected'));
    expect(rejected).toMatchObject({ reqId: expect.any(String), code: 'no_matching_signature' });
    expect(lines.join('')).not.toContain(secret);
  });

  it('works on a real listening server', async () => {
    const handler = vi.fn((_event: unknown, _ctx?: unknown) => {});
    const app = await build({
      webhook: { secret, path: '/hooks/pasis', handlers: { 'session:processed': handler } },
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    const delivery = signWebhook(event, { secret });
    const res = await fetch(`${url}/hooks/pasis`, {
      method: 'POST',
      body: delivery.body,
      headers: delivery.headers,
    });
    expect(res.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('refuses to be registered twice, with a clear error', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(pasis, { webhook: { secret } });
    await expect(app.register(pasis, { webhook: { secret } }).ready()).rejects.toThrow(
      /@pasis\/fastify: the plugin is already registered/,
    );
  });

  it('validates options at registration, with package-prefixed errors', async () => {
    for (const [options, message] of [
      [{ webhook: { secret, path: 'webhook' } }, /@pasis\/fastify: webhook.path/],
      [{ webhook: { secret: 'nope' } }, /@pasis\/fastify: .*whsec_/],
      [{ webhook: { secret, maxBodyBytes: -1 } }, /@pasis\/fastify: webhook.maxBodyBytes/],
    ] as const) {
      const app = Fastify();
      apps.push(app);
      await expect(app.register(pasis, options as never).ready()).rejects.toThrow(message);
    }
  });

  it('exposes the client; without an appId it throws a clear config error on use', async () => {
    vi.stubEnv('PASIS_APP_ID', '');
    const app = await build();
    expect(() => app.pasis.client).toThrow(
      /@pasis\/fastify: app.pasis.client is not configured.*PASIS_APP_ID/,
    );
    vi.unstubAllEnvs();
    const configured = await build({ appId: 'app_1', baseUrl: 'http://127.0.0.1:9' });
    expect(typeof configured.pasis.client.checkout.sessions.create).toBe('function');
  });
});
