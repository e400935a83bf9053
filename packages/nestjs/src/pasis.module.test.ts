import 'reflect-metadata';
import {
  type ArgumentsHost,
  type CanActivate,
  Catch,
  Controller,
  type ExceptionFilter,
  Get,
  type INestApplication,
  Injectable,
  Module,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER, APP_GUARD } from '@nestjs/core';
import { type PasisEventOf, silentLogger, type WebhookContext } from '@pasis/core';
import { createTestEvent, generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import express from 'express';
import { afterEach, describe, expect, it } from 'vitest';
import { OnPasisEvent, PasisClient, PasisModule } from './index.js';
import { boot, type Platform } from './test-support/app.js';

const secret = generateWebhookSecret();
const event = createTestEvent();
const calls: string[] = [];
let failuresLeft = 0;

@Injectable()
class OrdersService {
  @OnPasisEvent('session:processed')
  async settle(e: PasisEventOf<'session:processed'>, ctx: WebhookContext) {
    if (failuresLeft > 0) {
      failuresLeft--;
      throw new Error('database down');
    }
    calls.push(`orders:${e.status}:${ctx.deliveryId}`);
  }
}

@Injectable()
class AuditService {
  @OnPasisEvent('session:processed')
  @OnPasisEvent('session:created')
  record(e: PasisEventOf<'session:processed'> | PasisEventOf<'session:created'>) {
    calls.push(`audit:${e.kind}`);
  }
}

/** Refuses every request: the webhook must not care. */
@Injectable()
class DenyAllGuard implements CanActivate {
  canActivate() {
    return false;
  }
}

@Catch()
class SwallowEverythingFilter implements ExceptionFilter {
  catch(_error: unknown, host: ArgumentsHost) {
    const res = host.switchToHttp().getResponse();
    if (typeof res.status === 'function' && typeof res.json === 'function')
      res.status(299).json({ swallowed: true });
    else res.code(299).send({ swallowed: true });
  }
}

@Controller('orders')
class OrdersController {
  @Get()
  list() {
    return [];
  }
}

@Module({
  imports: [PasisModule.forRoot({ logger: silentLogger, webhook: { secret } })],
  controllers: [OrdersController],
  providers: [
    OrdersService,
    AuditService,
    { provide: APP_GUARD, useClass: DenyAllGuard },
    { provide: APP_FILTER, useClass: SwallowEverythingFilter },
  ],
})
class ShopModule {}

@Module({
  imports: [
    ConfigModule.forRoot({
      ignoreEnvFile: true,
      load: [() => ({ PASIS_WEBHOOK_SECRET: secret, PASIS_APP_ID: 'app_cfg' })],
    }),
    PasisModule.forRootAsync({
      imports: [ConfigModule],
      inject: [ConfigService],
      useFactory: (config: ConfigService) => ({
        appId: config.getOrThrow<string>('PASIS_APP_ID'),
        baseUrl: 'http://127.0.0.1:9',
        logger: silentLogger,
        webhook: { secret: config.getOrThrow<string>('PASIS_WEBHOOK_SECRET'), path: '/hooks/pasis' },
      }),
      isGlobal: true,
    }),
  ],
  providers: [OrdersService],
})
class AsyncModule {}

let current: INestApplication | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
  calls.length = 0;
  failuresLeft = 0;
});

const post = (url: string, delivery: { body: string; headers: Record<string, string> }) =>
  fetch(url, {
    method: 'POST',
    body: delivery.body,
    headers: delivery.headers,
    signal: AbortSignal.timeout(5000),
  });

describe.each<Platform>(['express', 'fastify'])('PasisModule on platform-%s', (platform) => {
  async function start(module: unknown = ShopModule) {
    const booted = await boot(module, platform);
    current = booted.app;
    return booted.url;
  }

  it('runs every matching handler once (two providers, two decorators on one method)', async () => {
    const url = await start();
    const delivery = signWebhook(event, { secret, id: 'msg_a' });
    const res = await post(`${url}/webhook`, delivery);
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, outcome: 'handled' });
    expect(calls.sort()).toEqual(['audit:session:processed', 'orders:success:msg_a']);
    expect((await post(`${url}/webhook`, delivery)).status).toBe(200);
    expect(calls).toHaveLength(2);
    expect(
      (await post(`${url}/webhook`, signWebhook({ ...event, kind: 'session:created' }, { secret }))).status,
    ).toBe(200);
    expect(calls).toContain('audit:session:created');
  });

  it('answers 401 to a bad signature and runs no handler — the global guard does not apply', async () => {
    const url = await start();
    const res = await post(`${url}/webhook`, signWebhook(event, { secret: generateWebhookSecret() }));
    expect(res.status).toBe(401);
    expect((await res.json()).error.code).toBe('no_matching_signature');
    expect(calls).toEqual([]);
    // The guard itself is live for the app's own routes.
    expect((await fetch(`${url}/orders`)).status).toBe(299);
  });

  it('answers 200 to an unknown kind', async () => {
    const url = await start();
    const res = await post(`${url}/webhook`, signWebhook({ kind: 'refund:created', id: 'r1' }, { secret }));
    expect(res.status).toBe(200);
    expect(calls).toEqual([]);
  });

  it('answers 500 when a handler throws — whatever the global exception filter — and handles the redelivery', async () => {
    const url = await start();
    failuresLeft = 1;
    const delivery = signWebhook(event, { secret, id: 'msg_fail' });
    const failed = await post(`${url}/webhook`, delivery);
    expect(failed.status).toBe(500);
    expect((await failed.json()).error.code).toBe('handler_failed');
    const retried = await post(`${url}/webhook`, delivery);
    expect(retried.status).toBe(200);
    expect(calls.filter((c) => c.startsWith('orders'))).toEqual(['orders:success:msg_fail']);
  });

  it('verifies text/plain and a missing content type over the raw bytes', async () => {
    const url = await start();
    const plain = signWebhook(event, { secret, id: 'msg_plain' });
    expect(
      (
        await post(`${url}/webhook`, {
          body: plain.body,
          headers: { ...plain.headers, 'content-type': 'text/plain' },
        })
      ).status,
    ).toBe(200);
    const bare = signWebhook(event, { secret, id: 'msg_bare' });
    const { 'content-type': _, ...noType } = bare.headers;
    expect((await post(`${url}/webhook`, { body: bare.body, headers: noType })).status).toBe(200);
  });

  it('works with forRootAsync from ConfigService, a custom path and an injectable client', async () => {
    const booted = await boot(AsyncModule, platform);
    current = booted.app;
    const res = await post(`${booted.url}/hooks/pasis`, signWebhook(event, { secret }));
    expect(res.status).toBe(200);
    expect(calls).toEqual([expect.stringMatching(/^orders:success:/)]);
    expect(typeof current.get(PasisClient).checkout.sessions.create).toBe('function');
  });

  it("works with rawBody on or off, and behind the app's own global body parser", async () => {
    for (const options of [
      { rawBody: true },
      { rawBody: false },
      {
        setup: (app: INestApplication) =>
          platform === 'express'
            ? app.use(express.json())
            : (app as unknown as { useBodyParser(type: string): void }).useBodyParser('text/plain'),
      },
    ]) {
      const booted = await boot(ShopModule, platform, options);
      try {
        const delivery = signWebhook(event, { secret });
        const res = await post(`${booted.url}/webhook`, delivery);
        expect(res.status, JSON.stringify(Object.keys(options))).toBe(200);
        const plain = signWebhook({ ...event, session_id: 'sess_plain' }, { secret });
        expect(
          (
            await post(`${booted.url}/webhook`, {
              ...plain,
              headers: { ...plain.headers, 'content-type': 'text/plain' },
            })
          ).status,
        ).toBe(200);
      } finally {
        await booted.app.close();
      }
    }
  });
});
