import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule } from '@nestjs/config';
import { TransactionHost } from '@nestjs-cls/transactional';
import type { TransactionalAdapterPrisma } from '@nestjs-cls/transactional-adapter-prisma';
import type { PasisLogger } from '@pasis/core';
import { readShopEnv, type ShopDatabase, type ShopEnv } from '@pasis/example-shop-kit';
import { PasisModule } from '@pasis/nestjs';
import { createSqlStore, fromPrisma, fromTransactionHost } from '@pasis/sql';
import { ClsModule } from 'nestjs-cls';
import { DataModule, transactional } from './db/data.module.js';
import { PrismaClient } from './db/generated/client.js';
import { OrdersModule } from './orders/orders.module.js';
import { ShopModule } from './shop/shop.module.js';
import { SHOP_ENV } from './shop/shop.tokens.js';

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
 * Prisma on it with nestjs-cls's transactions, Pasis (the client, and the webhook store on the
 * app's TransactionHost), and the orders feature.
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
        DataModule,
        ClsModule.forRoot({ global: true, plugins: [transactional] }),
        PasisModule.forRootAsync({
          inject: [SHOP_ENV, TransactionHost, PrismaClient],
          isGlobal: true,
          useFactory: (
            env: ShopEnv,
            txHost: TransactionHost<TransactionalAdapterPrisma<PrismaClient>>,
            prisma: PrismaClient,
          ) => ({
            appId: env.PASIS_APP_ID,
            baseUrl: env.PASIS_BASE_URL,
            logger: options.logger,
            webhook: {
              path: '/webhook',
              secret: env.PASIS_WEBHOOK_SECRET,
              // Each delivery's transaction is the app's ambient one (nestjs-cls): the order, its
              // payment and the dedupe record commit together. Pruning: shop-kit's database prunes
              // this table already (its @pasis/postgres store, closed with the database).
              store: createSqlStore({
                db: fromTransactionHost(txHost, fromPrisma(prisma)),
                logger: options.logger,
                pruneIntervalMs: 0,
              }),
            },
          }),
        }),
        OrdersModule,
      ],
    };
  }
}
