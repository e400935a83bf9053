import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createWebhookHandler, type WebhookHandler } from '@pasis/core';
import { nestPasisLogger } from './nest-logger.js';
import { PasisClient } from './pasis.client.js';
import { PasisEventExplorer } from './pasis-event.explorer.js';
import { PasisWebhookRoute } from './pasis-webhook.route.js';
import { PasisConfigurableModule, PASIS_MODULE_OPTIONS, PASIS_WEBHOOKS } from './pasis.module-definition.js';
import type { PasisModuleOptions } from './pasis.options.js';

function createWebhooks(options: PasisModuleOptions): WebhookHandler {
  return createWebhookHandler({
    secret: options.webhookSecret,
    secrets: options.webhookSecrets,
    unsafeAllowUnsigned: options.unsafeAllowUnsigned,
    store: options.store,
    maxBodyBytes: options.maxBodyBytes,
    toleranceSec: options.toleranceSec,
    logger: options.logger ?? nestPasisLogger(),
  });
}

/**
 * Pasis Checkout for Nest: an injectable `PasisClient`, `@OnPasisEvent` handlers found at
 * start-up, and the webhook route. Create the app with `{ rawBody: true }`.
 *
 * @example
 * @Module({
 *   imports: [
 *     PasisModule.forRootAsync({
 *       imports: [ConfigModule],
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({ webhookSecret: config.getOrThrow('PASIS_WEBHOOK_SECRET') }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    PasisClient,
    { provide: PASIS_WEBHOOKS, inject: [PASIS_MODULE_OPTIONS], useFactory: createWebhooks },
    PasisEventExplorer,
    PasisWebhookRoute,
  ],
  exports: [PasisClient, PASIS_WEBHOOKS],
})
export class PasisModule extends PasisConfigurableModule {}
