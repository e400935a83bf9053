// A webhook body that trickles in is cut off on a listening Fastify server: Fastify itself
// sets no request timeout, so without the route's own bound the connection is held forever.
import { silentLogger } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook, trickleRequest } from '@pasis/core/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterEach, describe, expect, it, vi } from 'vitest';
import pasis from './index.js';

const secret = generateWebhookSecret();
const event = createTestEvent({ session_id: 'sess_slow' });
const apps: FastifyInstance[] = [];
afterEach(async () => {
  for (const app of apps.splice(0)) await app.close();
});

async function listening(webhook: Record<string, unknown>) {
  const handler = vi.fn();
  const app = Fastify();
  apps.push(app);
  await app.register(pasis, { webhook: { secret, logger: silentLogger, on: handler, ...webhook } });
  const url = await app.listen({ port: 0, host: '127.0.0.1' });
  return { url, handler };
}

describe('a trickled webhook body on Fastify', () => {
  it('is answered 408 body_timeout from core after bodyTimeoutMs, and the connection closed', async () => {
    const { url, handler } = await listening({ bodyTimeoutMs: 300 });
    const { body, headers } = signWebhook(event, { secret });
    const result = await trickleRequest(`${url}/webhook`, { body, headers, everyMs: 50, giveUpMs: 5_000 });
    expect(result.status).toBe(408);
    expect(JSON.parse(result.body)).toEqual({
      ok: false,
      error: { code: 'body_timeout', message: 'The body did not arrive within 300 ms.' },
    });
    expect(result.head).toMatch(/^connection: close$/im);
    expect(result.head).toMatch(/^cache-control: no-store$/im);
    expect(result.closed).toBe(true);
    expect(result.bytesSent).toBeLessThan(Buffer.byteLength(body));
    expect(handler).not.toHaveBeenCalled();
  });

  it('lets a slow body that arrives within the bound through', async () => {
    const { url, handler } = await listening({ bodyTimeoutMs: 5_000 });
    const { body, headers } = signWebhook(event, { secret });
    const result = await trickleRequest(`${url}/webhook`, {
      body,
      headers: { ...headers, connection: 'close' },
      everyMs: 5,
      bytesPerTick: 16,
      giveUpMs: 5_000,
    });
    expect(result.status).toBe(200);
    expect(handler).toHaveBeenCalledTimes(1);
  });
});
