// `await app.register(pasis)`, exactly as a merchant writes it: nothing configured but
// PASIS_WEBHOOK_SECRET, a listening server and a real signature.
import { isPasisError } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pasis, { type PasisEventOf } from './index.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const apps: FastifyInstance[] = [];
afterEach(async () => {
  vi.unstubAllEnvs();
  for (const app of apps.splice(0)) await app.close();
});

async function listening(setup: (app: FastifyInstance) => Promise<void>): Promise<string> {
  const app = Fastify();
  apps.push(app);
  await setup(app);
  return app.listen({ port: 0, host: '127.0.0.1' });
}

const deliver = (url: string, delivery = signWebhook(event, { secret })) =>
  fetch(`${url}/webhook`, { method: 'POST', body: delivery.body, headers: delivery.headers });

describe('await app.register(pasis)', () => {
  it('serves POST /webhook with the secret from PASIS_WEBHOOK_SECRET; handlers from app.pasis.on()', async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    const settled: PasisEventOf<'session:processed'>[] = [];
    const url = await listening(async (app) => {
      await app.register(pasis);
      app.pasis.on('session:processed', (e) => void settled.push(e));
    });
    const res = await deliver(url);
    expect([res.status, await res.json()]).toEqual([200, { ok: true, outcome: 'handled' }]);
    expect(settled).toEqual([event]);
    const forged = await deliver(url, signWebhook(event, { secret: generateWebhookSecret() }));
    expect(forged.status).toBe(401);
    expect(settled).toHaveLength(1);
  });

  it('runs the handlers of webhook.on, with the route still at its default path', async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    const handler = vi.fn();
    const url = await listening(
      async (app) => void (await app.register(pasis, { webhook: { on: handler } })),
    );
    expect((await deliver(url)).status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });

  it('without a secret, refuses to start, naming PASIS_WEBHOOK_SECRET and webhook: false', async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', '');
    const app = Fastify();
    apps.push(app);
    const error = await app
      .register(pasis)
      .ready()
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toBe(
      "@pasis/fastify: no webhook secret: set PASIS_WEBHOOK_SECRET to the endpoint's whsec_… secret, or pass " +
        '`webhook: { secret }` (`webhook: { secrets }` during a rotation); for the client only, with no webhook ' +
        'route, pass `webhook: false`. For a Pasis that does not sign, `webhook: { confirm: true }` checks every ' +
        'event with Pasis instead.',
    );
  });

  it('with webhook: false, registers the client only, and needs no secret', async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', '');
    const url = await listening(
      async (app) => void (await app.register(pasis, { appId: 'app_1', webhook: false })),
    );
    expect((await deliver(url)).status).toBe(404);
  });

  it("logs a throwing handler's own error with its stack through Fastify's request.log", async () => {
    vi.stubEnv('PASIS_WEBHOOK_SECRET', secret);
    const lines: Record<string, unknown>[] = [];
    const app = Fastify({
      logger: { level: 'error', stream: { write: (line: string) => void lines.push(JSON.parse(line)) } },
    });
    apps.push(app);
    await app.register(pasis);
    app.pasis.on('session:processed', () => {
      throw new Error('orders table is locked');
    });
    const url = await app.listen({ port: 0, host: '127.0.0.1' });
    expect((await deliver(url)).status).toBe(500);
    const failure = lines.find((line) => String(line.msg).includes('handler failed'));
    expect(failure).toMatchObject({
      level: 50,
      kind: 'session:processed',
      sessionId: 'sess_1',
      outcome: 'handler_failed',
      err: { type: 'Error', message: 'orders table is locked' },
    });
    expect(failure?.msg).toMatch(/the session:processed handler failed; .*: Error: orders table is locked$/);
    expect((failure?.err as { stack?: string } | undefined)?.stack).toMatch(/entry-point\.test\.ts/);
    expect(typeof failure?.deliveryId).toBe('string');
    expect(typeof failure?.reqId).toBe('string'); // request.log: the line carries Fastify's request id
    expect(JSON.stringify(lines)).not.toContain(secret.slice(6));
  });
});
