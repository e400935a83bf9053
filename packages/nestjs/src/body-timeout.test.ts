// A webhook body that trickles in is cut off on Nest over platform-fastify, on a listening
// server: the route is core's Fastify route, so its bound and its answer (408 from core's
// table) are the Fastify plugin's.
import 'reflect-metadata';
import { type INestApplication, Module } from '@nestjs/common';
import { silentLogger } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook, trickleRequest } from '@pasis/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PasisModule } from './index.js';
import { boot } from './test-support/app.js';

const secret = generateWebhookSecret();
const handled: string[] = [];

@Module({
  imports: [
    PasisModule.forRoot({
      logger: silentLogger,
      webhook: { secret, bodyTimeoutMs: 300, on: (event) => void handled.push(event.session_id) },
    }),
  ],
})
class SlowBodyModule {}

let current: INestApplication | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

describe('a trickled webhook body on Nest over platform-fastify', () => {
  it('is answered 408 body_timeout from core after bodyTimeoutMs, and the connection closed', async () => {
    const { app, url } = await boot(SlowBodyModule, 'fastify');
    current = app;
    const event = createTestEvent({ session_id: 'sess_slow' });
    const { body, headers } = signWebhook(event, { secret });
    const result = await trickleRequest(`${url}/webhook`, { body, headers, everyMs: 50, giveUpMs: 5_000 });
    expect(result.status).toBe(408);
    expect(JSON.parse(result.body).error.code).toBe('body_timeout');
    expect(result.closed).toBe(true);
    expect(result.bytesSent).toBeLessThan(Buffer.byteLength(body));
    expect(handled).toEqual([]);
  });
});
