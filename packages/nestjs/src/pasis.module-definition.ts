import { ConfigurableModuleBuilder } from '@nestjs/common';
import type { PasisModuleOptions } from './pasis.options.js';

/**
 * `forRoot` / `forRootAsync` come from Nest's builder, so options can come from
 * `ConfigService` (`forRootAsync({ imports, inject, useFactory })`). `isGlobal` makes
 * `PasisClient` injectable everywhere.
 */
export const {
  ConfigurableModuleClass: PasisConfigurableModule,
  MODULE_OPTIONS_TOKEN: PASIS_MODULE_OPTIONS,
  OPTIONS_TYPE: PASIS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: PASIS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<PasisModuleOptions>()
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: false }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();

/**
 * Injection token of core's webhook receiver built from `webhook` (`null` without it): for
 * `webhooks.receive()` (a reconciler) or `webhooks.on()`.
 *
 * @example
 * constructor(@Inject(PASIS_WEBHOOKS) private readonly webhooks: WebhookReceiver) {}
 */
export const PASIS_WEBHOOKS = Symbol('PASIS_WEBHOOKS');

/** Internal: the module's options after core resolved and validated them. */
export const PASIS_RESOLVED_OPTIONS = Symbol('PASIS_RESOLVED_OPTIONS');

/** Internal: where the module itself logs (the `logger` option, else Nest's `Logger`). */
export const PASIS_LOGGER = Symbol('PASIS_LOGGER');
