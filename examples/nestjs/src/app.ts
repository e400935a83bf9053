import 'reflect-metadata';
import type { INestApplication } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { PasisLogger, WebhookStore } from '@pasis/core';
import { AppModule } from './app.module.js';
import type { OrderStore } from '@pasis/example-shop-kit';

/** What the shop needs to run. */
export interface ShopConfig {
  pasis: { appId: string; baseUrl: string; webhookSecret: string };
  orders?: OrderStore;
  webhookStore?: WebhookStore;
  logger?: PasisLogger;
  /** Nest's own logging. Default: off in tests, Nest's default in main.ts. */
  nestLogger?: false | undefined;
}

/** The shop as a Nest application, initialised but not listening. */
export async function createApp(config: ShopConfig): Promise<INestApplication> {
  const module = AppModule.register({
    config: {
      PASIS_APP_ID: config.pasis.appId,
      PASIS_BASE_URL: config.pasis.baseUrl,
      PASIS_WEBHOOK_SECRET: config.pasis.webhookSecret,
    },
    orders: config.orders,
    webhookStore: config.webhookStore,
    logger: config.logger,
  });
  // No rawBody option: the Pasis webhook reads the bytes as received itself.
  return NestFactory.create(module, { logger: config.nestLogger ?? false });
}
