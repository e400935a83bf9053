// confirm: true on the plugin confirms with the plugin's own client (its appId and baseUrl).
import { silentLogger } from '@pasis/core';
import { createTestEvent, type SessionServer, startSessionServer } from '@pasis/core/testing';
import Fastify, { type FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import pasis from './index.js';

let server: SessionServer;
let app: FastifyInstance;
const handler = vi.fn();
beforeAll(async () => {
  server = await startSessionServer('app_confirm');
  app = Fastify();
  await app.register(pasis, {
    appId: 'app_confirm',
    baseUrl: server.baseUrl,
    logger: silentLogger,
    webhook: { confirm: true, on: { 'session:processed': handler } },
  });
});
afterAll(async () => {
  await app.close();
  await server.close();
});

const post = (event: object) =>
  app.inject({
    method: 'POST',
    url: '/webhook',
    payload: JSON.stringify(event),
    headers: { 'content-type': 'application/json' },
  });

describe('@pasis/fastify with confirm: true', () => {
  it('refuses a forged success for an open session; handles the genuine event once, as Pasis reports it', async () => {
    server.set('sess_f', 'open', 5000);
    const forged = await post(createTestEvent({ session_id: 'sess_f' }));
    expect([forged.statusCode, forged.json().error.code]).toEqual([422, 'session_open']);
    server.set('sess_f', 'success', 5000);
    const genuine = await post(createTestEvent({ session_id: 'sess_f' }));
    expect(genuine.json()).toEqual({ ok: true, outcome: 'handled' });
    expect(handler).toHaveBeenCalledTimes(1);
    expect(handler.mock.calls[0]![1]).toMatchObject({ confirmed: true, verified: false });
    expect(server.requested).toEqual(['sess_f', 'sess_f']);
  });

  it('without an appId, refuses confirm: true at registration, naming the package', async () => {
    vi.stubEnv('PASIS_APP_ID', '');
    const bare = Fastify();
    await expect(
      bare.register(pasis, { logger: silentLogger, webhook: { confirm: true } }).ready(),
    ).rejects.toThrow(/^@pasis\/fastify: confirm needs a Pasis client/);
    vi.unstubAllEnvs();
    await bare.close();
  });
});
