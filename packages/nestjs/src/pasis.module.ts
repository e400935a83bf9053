import { type DynamicModule, Module } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import { createWebhookHandler } from '@pasis/core';
import { type ResolvedAdapterOptions, resolveAdapterOptions } from '@pasis/core/adapter';
import { nestPasisLogger } from './nest-logger.js';
import { PasisClient } from './pasis.client.js';
import {
  PASIS_LOGGER,
  PASIS_MODULE_OPTIONS,
  PASIS_OPTIONS_TYPE,
  PASIS_RESOLVED_OPTIONS,
  PASIS_WEBHOOKS,
  PasisConfigurableModule,
} from './pasis.module-definition.js';
import type { PasisModuleOptions } from './pasis.options.js';
import { PasisEventExplorer } from './pasis-event.explorer.js';
import { PasisWebhookRoute } from './pasis-webhook.route.js';

const PACKAGE = '@pasis/nestjs';

const RAW_BODY_HINT =
  '@pasis/nestjs: the webhook request body was already parsed, so its signature cannot be checked. ' +
  "On platform-express the route runs before Nest's body parsers and app.use(): a parser that ran first was " +
  'mounted on the Express app before NestFactory.create() (new ExpressAdapter(app)); mount it after, or keep ' +
  'the raw bytes with express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }). On ' +
  'platform-fastify, do not run an Express body parser through app.use().';

/**
 * Pasis Checkout for Nest: an injectable `PasisClient`, `@OnPasisEvent` handlers found at
 * start-up on providers and controllers, and the webhook route (default `POST /webhook`, the
 * secret from `PASIS_WEBHOOK_SECRET`; `webhook: false` for none). The options are core's,
 * validated by core (`@pasis/nestjs:` config errors at start-up).
 *
 * @example
 * @Module({ imports: [PasisModule.forRoot()], providers: [OrdersService] })
 * export class AppModule {}
 * // or, with the options from @nestjs/config:
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
          ? createWebhookHandler(webhook.options, {
              name: PACKAGE,
              rawBodyHint: RAW_BODY_HINT,
              client,
              routeOption: 'webhook',
            })
          : null,
    },
    PasisClient,
    PasisEventExplorer,
    PasisWebhookRoute,
  ],
  exports: [PasisClient, PASIS_WEBHOOKS],
})
export class PasisModule extends PasisConfigurableModule {
  /**
   * The module with its options, all optional: `PasisModule.forRoot()` serves `POST /webhook`
   * with the secret from `PASIS_WEBHOOK_SECRET` and builds the client from `PASIS_APP_ID`;
   * `webhook: false` gives the client only. `isGlobal` (default `false`) makes `PasisClient`
   * injectable everywhere.
   *
   * @example
   * @Module({ imports: [PasisModule.forRoot()], providers: [OrdersService] })
   * export class AppModule {}
   */
  static override forRoot(options: typeof PASIS_OPTIONS_TYPE = {}): DynamicModule {
    // Nest's builder spreads its argument: without this default, forRoot() would crash in it.
    // biome-ignore lint/complexity/noThisInStatic: the builder's forRoot reads `this` as the module; through super it is PasisModule
    return super.forRoot(options);
  }
}
