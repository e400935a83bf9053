import { type DynamicModule, Module } from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import type { PasisLogger, WebhookStore } from '@pasis/core';
import { PasisModule } from '@pasis/nestjs';
import type { OrderStore } from '@pasis/example-shop-kit';
import { OrdersModule } from './orders/orders.module.js';

export interface AppModuleOptions {
  /** Values instead of the environment (tests); default: read `.env` and `process.env`. */
  config?: Record<string, string>;
  orders?: OrderStore;
  webhookStore?: WebhookStore;
  logger?: PasisLogger;
}

@Module({})
export class AppModule {
  static register(options: AppModuleOptions = {}): DynamicModule {
    return {
      module: AppModule,
      imports: [
        ConfigModule.forRoot(
          options.config ? { ignoreEnvFile: true, ignoreEnvVars: true, load: [() => options.config!] } : {},
        ),
        PasisModule.forRootAsync({
          imports: [ConfigModule],
          inject: [ConfigService],
          isGlobal: true,
          useFactory: (config: ConfigService) => ({
            appId: config.getOrThrow<string>('PASIS_APP_ID'),
            baseUrl: config.get<string>('PASIS_BASE_URL') ?? 'https://checkout.pasis.rw',
            logger: options.logger,
            webhook: {
              path: '/webhook',
              secret: config.getOrThrow<string>('PASIS_WEBHOOK_SECRET'),
              store: options.webhookStore,
            },
          }),
        }),
        OrdersModule.register(options.orders),
      ],
    };
  }
}
