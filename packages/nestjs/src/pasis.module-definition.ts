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

/** Injection token of core's webhook receiver built from the options. */
export const PASIS_WEBHOOKS = Symbol('PASIS_WEBHOOKS');
