import type { PasisAdapterOptions } from '@pasis/core';

/**
 * Options of `PasisModule.forRoot()` / `forRootAsync()`: core's client options as they are
 * (`appId`, `baseUrl`, `timeoutMs`, `maxRetries`, `maxRetryAfterMs`, `fetch`, `logger`) or a
 * ready `client`, and `webhook`: core's webhook options (`secret`, `secrets`, `on`, `store`,
 * `maxBodyBytes`, …) plus `path` (absolute, default `'/webhook'`, under the app's global
 * prefix unless excluded). Omit `webhook` for no route. `logger` defaults to Nest's `Logger`
 * (context `Pasis`). The same shape as `@pasis/fastify`'s; validated by core at start-up.
 *
 * @example
 * PasisModule.forRoot({ appId: 'app_123', webhook: { secret: process.env.PASIS_WEBHOOK_SECRET } });
 */
export type PasisModuleOptions = PasisAdapterOptions;
