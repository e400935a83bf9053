import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import type { PasisLogger } from '@pasis/core';
import { readShopEnv, type ShopDatabase, type ShopEnv } from '@pasis/example-shop-kit';
import { PasisModule } from '@pasis/nestjs';
import { OrdersModule } from './orders/orders.module.js';
import { ShopModule } from './shop/shop.module.js';
import { SHOP_DATABASE, SHOP_ENV } from './shop/shop.tokens.js';

/** What the shop's module is built from; everything defaults to the environment. */
export interface AppModuleOptions {
  /**
   * Values instead of the environment (tests): checked the same way, and never written to
   * `process.env`. Default: `.env` and `process.env`, checked by `ConfigModule`'s `validate`.
   */
  config?: Record<string, string>;
  /** An open database (tests); default: opened from the environment, closed on shutdown. */
  database?: ShopDatabase;
  logger?: PasisLogger;
}

/**
 * The shop: configuration (`@nestjs/config`, checked by shop-kit), its database and orders,
 * Pasis (the client, and the webhook on the shop's database), and the orders feature.
 *
 * @example
 * const app = await NestFactory.create(AppModule.register()); // from the environment
 */
@Module({})
export class AppModule {
  /** The module, from the environment, or from `options` (tests). */
  static register(options: AppModuleOptions = {}): DynamicModule {
    const values = options.config;
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(
          values
            ? {
                ignoreEnvFile: true,
                validatePredefined: false,
                skipProcessEnv: true,
                load: [() => readShopEnv(values)],
              }
            : { validate: readShopEnv },
        ),
        ShopModule.register({ database: options.database, logger: options.logger }),
        PasisModule.forRootAsync({
          inject: [SHOP_ENV, SHOP_DATABASE],
          isGlobal: true,
          useFactory: (env: ShopEnv, database: ShopDatabase) => ({
            appId: env.PASIS_APP_ID,
            baseUrl: env.PASIS_BASE_URL,
            logger: options.logger,
            webhook: {
              path: '/webhook',
              secret: env.PASIS_WEBHOOK_SECRET,
              // The shop's own database: ctx.tx commits the order, its payment and the dedupe record together.
              store: database.webhookStore,
            },
          }),
        }),
        OrdersModule,
      ],
    };
  }
}
