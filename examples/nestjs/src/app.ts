import 'reflect-metadata';
import type { INestApplication, LoggerService } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import type { PasisLogger } from '@pasis/core';
import type { ShopConfig, ShopDatabase } from '@pasis/example-shop-kit';
import { AppModule } from './app.module.js';
import { configureShopHttp } from './http-setup.js';

export type { ShopConfig } from '@pasis/example-shop-kit';

/** Everything the shop is built from. */
export interface ShopOptions extends ShopConfig {
  /** Where orders live (opened by the caller, who closes it after `app.close()`). */
  database: ShopDatabase;
  logger?: PasisLogger;
  /** Nest's own logging. Default: off in tests, Nest's default in main.ts. */
  nestLogger?: LoggerService | false;
}

/**
 * The shop as a Nest application, not listening yet. `app.listen()` starts the reconciler;
 * `app.close()` stops it (awaited).
 */
export async function createApp(options: ShopOptions): Promise<INestApplication> {
  const module = AppModule.register({
    // The same variables main.ts reads from the environment, through the same checks.
    config: {
      PASIS_APP_ID: options.pasis.appId,
      PASIS_BASE_URL: options.pasis.baseUrl,
      PASIS_WEBHOOK_SECRET: options.pasis.webhookSecret,
      ...(options.reconcile && {
        RECONCILE_AFTER_MS: String(options.reconcile.afterMs),
        RECONCILE_INTERVAL_MS: String(options.reconcile.intervalMs),
      }),
      ...(options.returnCheckIntervalMs !== undefined && {
        RETURN_CHECK_INTERVAL_MS: String(options.returnCheckIntervalMs),
      }),
      ...(options.approvalWindowMs !== undefined && {
        APPROVAL_WINDOW_MS: String(options.approvalWindowMs),
      }),
    },
    database: options.database,
    logger: options.logger,
  });
  // No rawBody option: the Pasis webhook reads the bytes as received itself.
  // abortOnError: false: a failed start rejects (and the caller sees why) instead of ending the process.
  const app = await NestFactory.create<NestExpressApplication>(module, {
    logger: options.nestLogger ?? false,
    abortOnError: false,
  });
  configureShopHttp(app);
  return app;
}
