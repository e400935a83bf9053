import { Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createWebhookHandler, type ResolvedAdapterOptions, resolveAdapterOptions } from '@pasis/core';
import { nestPasisLogger } from './nest-logger.js';
import { PasisClient } from './pasis.client.js';
import { PasisEventExplorer } from './pasis-event.explorer.js';
import { PasisWebhookRoute } from './pasis-webhook.route.js';
import {
  PASIS_LOGGER,
  PASIS_MODULE_OPTIONS,
  PASIS_RESOLVED_OPTIONS,
  PASIS_WEBHOOKS,
  PasisConfigurableModule,
} from './pasis.module-definition.js';
import type { PasisModuleOptions } from './pasis.options.js';

const PACKAGE = '@pasis/nestjs';

const RAW_BODY_HINT =
  '@pasis/nestjs: the webhook request body was already parsed, so its signature cannot be checked. ' +
  "On platform-express the route runs before Nest's body parsers and app.use(): a parser that ran first was " +
  'mounted on the Express app before NestFactory.create() (new ExpressAdapter(app)); mount it after, or keep ' +
  'the raw bytes with express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }). On ' +
  'platform-fastify, do not run an Express body parser through app.use().';

/**
 * Pasis Checkout for Nest: an injectable `PasisClient`, `@OnPasisEvent` handlers found at
 * start-up on providers and controllers, and, with `webhook`, the webhook route. The
 * options are core's, validated by core (`@pasis/nestjs:` config errors at start-up).
 *
 * @example
 * @Module({
 *   imports: [
 *     PasisModule.forRootAsync({
 *       imports: [ConfigModule],
 *       inject: [ConfigService],
 *       useFactory: (config: ConfigService) => ({ webhook: { secret: config.getOrThrow('PASIS_WEBHOOK_SECRET') } }),
 *     }),
 *   ],
 * })
 * export class AppModule {}
 */
@Module({
  imports: [DiscoveryModule],
  providers: [
    {
      provide: PASIS_RESOLVED_OPTIONS,
      inject: [PASIS_MODULE_OPTIONS],
      useFactory: (options: PasisModuleOptions) =>
        resolveAdapterOptions(options, {
          name: PACKAGE,
          clientName: 'PasisClient',
          logger: nestPasisLogger(),
        }),
    },
    {
      provide: PASIS_LOGGER,
      inject: [PASIS_MODULE_OPTIONS, PASIS_RESOLVED_OPTIONS],
      useFactory: (options: PasisModuleOptions | undefined) => options?.logger ?? nestPasisLogger(),
    },
    {
      provide: PASIS_WEBHOOKS,
      inject: [PASIS_RESOLVED_OPTIONS],
      useFactory: ({ webhook, client }: ResolvedAdapterOptions<unknown>) =>
        webhook
          ? createWebhookHandler(webhook.options, { name: PACKAGE, rawBodyHint: RAW_BODY_HINT, client })
          : null,
    },
    PasisClient,
    PasisEventExplorer,
    PasisWebhookRoute,
  ],
  exports: [PasisClient, PASIS_WEBHOOKS],
})
export class PasisModule extends PasisConfigurableModule {}
