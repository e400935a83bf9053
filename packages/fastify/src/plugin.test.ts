// The plugin itself: registration, options (one vocabulary with core), the decorator and
// the client. The protocol's answers are the conformance suite's (conformance.test.ts).
import { type CheckoutSession, isPasisError, silentLogger } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pasis, { type PasisFastifyOptions } from './index.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const apps: FastifyInstance[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const app of apps.splice(0)) await app.close();
});

async function build(options: PasisFastifyOptions = { webhook: { secret } }) {
  const app = Fastify();
  apps.push(app);
  await app.register(pasis, options);
  app.post('/orders', async (request) => ({ received: request.body, type: typeof request.body }));
  return app;
}

async function registrationError(options: unknown): Promise<string> {
  const app = Fastify();
  apps.push(app);
  const error = await app
    .register(pasis, options as PasisFastifyOptions)
    .ready()
    .then(
      () => undefined,
      (e: unknown) => e,
    );
  if (!isPasisError(error, 'config_error')) throw new Error(`expected a config_error, got ${String(error)}`);
  return error.message;
}

const inject = (
  app: FastifyInstance,
  delivery: { body: string; headers: Record<string, string> },
  url = '/webhook',
) => app.inject({ method: 'POST', url, payload: delivery.body, headers: delivery.headers });

describe('@pasis/fastify', () => {
  it('runs handlers from webhook.on and from app.pasis.on()', async () => {
    const fromOptions = vi.fn();
    const added = vi.fn();
    const app = await build({
      webhook: { secret, logger: silentLogger, on: { 'session:processed': fromOptions } },
    });
    app.pasis.on('session:processed', added);
    expect((await inject(app, signWebhook(event, { secret }))).json()).toEqual({
      ok: true,
      outcome: 'handled',
    });
    expect(fromOptions).toHaveBeenCalledTimes(1);
    expect(added).toHaveBeenCalledTimes(1);
  });

  it('keeps JSON parsing for the rest of the app', async () => {
    const app = await build();
    const res = await app.inject({ method: 'POST', url: '/orders', payload: { a: 1 } });
    expect(res.json()).toEqual({ received: { a: 1 }, type: 'object' });
  });

  it('serves webhook.path; with `webhook: false` there is no route, and app.pasis.on() says why', async () => {
    const app = await build({ webhook: { secret, path: '/hooks/pasis', logger: silentLogger } });
    expect((await inject(app, signWebhook(event, { secret }), '/hooks/pasis')).statusCode).toBe(200);
    expect((await inject(app, signWebhook(event, { secret }))).statusCode).toBe(404);
    const clientOnly = await build({ appId: 'app_1', webhook: false });
    expect((await inject(clientOnly, signWebhook(event, { secret }))).statusCode).toBe(404);
    expect(() => clientOnly.pasis.on('session:processed', () => {})).toThrow(
      /^@pasis\/fastify: app\.pasis\.on\(\) adds a handler to the webhook route, and this plugin was registered with `webhook: false`: remove `webhook: false`/,
    );
    expect(clientOnly.pasis.webhooks).toBeUndefined();
  });

  it('refuses to be registered twice, with a clear error', async () => {
    const app = Fastify();
    apps.push(app);
    await app.register(pasis, { webhook: { secret } });
    await expect(app.register(pasis, { webhook: { secret } }).ready()).rejects.toThrow(
      /@pasis\/fastify: the plugin is already registered/,
    );
  });

  it("validates every option at registration with core's rules and @pasis/fastify's name", async () => {
    for (const [options, message] of [
      [{ webhook: { secret, path: 'webhook' } }, /^@pasis\/fastify: path must be an absolute path/],
      [{ webhook: { secret: 'nope' } }, /^@pasis\/fastify: .*whsec_/],
      [
        { webhook: { secret, maxBodyBytes: -1 } },
        /^@pasis\/fastify: maxBodyBytes must be a positive integer/,
      ],
      [{ webhook: { secret, handlers: {} } }, /^@pasis\/fastify: unknown webhook option `handlers`: use on/],
      [{ secret }, /^@pasis\/fastify: `secret` is a webhook option: pass it as `webhook: \{ secret \}`/],
      [{ appId: 'app_1', timeoutMs: -1 }, /^@pasis\/fastify: timeoutMs must be a positive/],
      [{ timeoutMs: -1 }, /^@pasis\/fastify: timeoutMs must be a positive/],
      [{ baseUrl: 'ftp://x' }, /^@pasis\/fastify: baseUrl must use http or https/],
      [{ client: { checkout: {} } }, /^@pasis\/fastify: client must be a Pasis client/],
      [{ tolerance: 5 }, /^@pasis\/fastify: unknown option `tolerance`/],
    ] as const) {
      expect(await registrationError(options)).toMatch(message);
    }
  });

  it('refuses a ready client together with the options to build one', async () => {
    const app = await build({ appId: 'app_1', webhook: false });
    const message = await registrationError({
      client: app.pasis.client,
      appId: 'app_2',
      maxRetries: 1,
      webhook: false,
    });
    expect(message).toMatch(/pass either `client` or the options to build one \(appId, maxRetries\)/);
  });

  it("passes the client's options through to core's client (fetch, retries, timeouts)", async () => {
    const session: CheckoutSession = {
      session_id: 'sess_f',
      amount: 5000,
      kind: 'session:created',
      payment_link: 'https://checkout.pasis.rw/pay/sess_f',
      created_at: '2025-09-11T09:00:00Z',
    };
    const fetch = vi.fn(async () => Response.json(session));
    const app = await build({
      appId: 'app_f',
      baseUrl: 'http://127.0.0.1:9',
      fetch,
      maxRetries: 0,
      timeoutMs: 1000,
      webhook: false,
    });
    const created = await app.pasis.client.checkout.sessions.create({
      items: [{ name: 'Money Transfer', amount: 5000 }],
      email: 'customer@mail.com',
    });
    expect(created.session_id).toBe('sess_f');
    expect(fetch).toHaveBeenCalledTimes(1);
  });

  it('without an appId, app.pasis.client throws a clear config error on use (webhook-only apps work)', async () => {
    vi.stubEnv('PASIS_APP_ID', '');
    const app = await build();
    expect(() => app.pasis.client).toThrow(
      /^@pasis\/fastify: app.pasis.client is not configured.*PASIS_APP_ID/,
    );
    vi.stubEnv('PASIS_APP_ID', 'app_env');
    expect(typeof (await build()).pasis.client.checkout.sessions.create).toBe('function');
  });
});
