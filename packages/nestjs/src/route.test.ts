// Where the webhook is served: under the global prefix (or excluded from it) as a controller
// route would be, ahead of the app's own middleware, from a testing module too.
import 'reflect-metadata';
import {
  Controller,
  Get,
  type INestApplication,
  type MiddlewareConsumer,
  Module,
  type NestModule,
  RequestMethod,
} from '@nestjs/common';
import { ExpressAdapter } from '@nestjs/platform-express';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { Test } from '@nestjs/testing';
import { isPasisError, silentLogger } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { afterEach, describe, expect, it } from 'vitest';
import { PasisModule } from './index.js';
import { boot, PLATFORMS } from './test-support/app.js';

const secret = generateWebhookSecret();
let sequence = 0;

@Controller('orders')
class OrdersController {
  @Get()
  list() {
    return [];
  }
}

@Module({
  imports: [PasisModule.forRoot({ logger: silentLogger, webhook: { secret, on: () => {} } })],
  controllers: [OrdersController],
})
class ShopModule {}

/** Middleware that refuses everything, bound to every route: it must not see the webhook. */
@Module({ imports: [ShopModule] })
class LockedModule implements NestModule {
  configure(consumer: MiddlewareConsumer) {
    consumer
      .apply((_req: unknown, res: { statusCode: number; end(): void }) => {
        res.statusCode = 403;
        res.end();
      })
      .forRoutes('*path');
  }
}

let current: INestApplication | undefined;
afterEach(async () => {
  await current?.close();
  current = undefined;
});

async function statusAt(url: string): Promise<number> {
  const { body, headers } = signWebhook(
    { kind: 'session:processed', session_id: `sess_r${++sequence}`, amount: 5000, status: 'success' },
    { secret },
  );
  return (await fetch(url, { method: 'POST', body, headers, signal: AbortSignal.timeout(5000) })).status;
}

describe.each(PLATFORMS)('the webhook route on platform-%s', (platform) => {
  async function start(setup?: (app: INestApplication) => void, module: unknown = ShopModule) {
    const booted = await boot(module, platform, { setup });
    current = booted.app;
    return booted.url;
  }

  it('follows app.setGlobalPrefix() like a controller route', async () => {
    const url = await start((app) => app.setGlobalPrefix('api'));
    expect((await fetch(`${url}/api/orders`)).status).toBe(200);
    expect(await statusAt(`${url}/api/webhook`)).toBe(200);
    expect(await statusAt(`${url}/webhook`)).toBe(404);
  });

  it("stays outside the prefix when the prefix's exclude matches it (for POST)", async () => {
    const url = await start((app) => app.setGlobalPrefix('/api/', { exclude: ['webhook'] }));
    expect(await statusAt(`${url}/webhook`)).toBe(200);
    expect(await statusAt(`${url}/api/webhook`)).toBe(404);
    await current?.close();
    const byMethod = await start((app) =>
      app.setGlobalPrefix('api', {
        exclude: [
          { path: 'webhook', method: RequestMethod.GET }, // another method: the prefix applies
          { path: 'health', method: RequestMethod.POST },
        ],
      }),
    );
    expect(await statusAt(`${byMethod}/api/webhook`)).toBe(200);
  });

  it('refuses to boot under a global prefix with route parameters: the webhook would have no one URL', async () => {
    const error = await boot(ShopModule, platform, { setup: (app) => app.setGlobalPrefix(':tenant') }).then(
      ({ app }) => app.close(),
      (e: unknown) => e,
    );
    expect(isPasisError(error, 'config_error')).toBe(true);
    expect((error as Error).message).toMatch(
      /^@pasis\/nestjs: the global prefix ":tenant" has route parameters/,
    );
  });

  it("runs ahead of the app's middleware: middleware that refuses every route does not see it", async () => {
    const url = await start(undefined, LockedModule);
    expect((await fetch(`${url}/orders`)).status).toBe(403);
    // platform-fastify runs Nest middleware as an onRequest hook on every route, this one included.
    expect(await statusAt(`${url}/webhook`)).toBe(platform === 'express' ? 200 : 403);
  });

  it('works from a testing module (Test.createTestingModule), the HTTP adapter arriving late', async () => {
    const moduleRef = await Test.createTestingModule({ imports: [ShopModule] }).compile();
    const app = moduleRef.createNestApplication(
      platform === 'express' ? new ExpressAdapter() : new FastifyAdapter(),
      {
        logger: false,
      },
    );
    current = app;
    app.setGlobalPrefix('api');
    await app.listen(0, '127.0.0.1');
    const { port } = app.getHttpServer().address() as { port: number };
    expect(await statusAt(`http://127.0.0.1:${port}/api/webhook`)).toBe(200);
  });
});
