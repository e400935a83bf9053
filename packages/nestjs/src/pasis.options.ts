import type { PasisPluginOptions } from '@pasis/core/adapter';

/**
 * Options of `PasisModule.forRoot()` / `forRootAsync()`: core's client options as they are
 * (`appId`, `baseUrl`, `timeoutMs`, `maxRetries`, `maxRetryAfterMs`, `fetch`, `logger`) or a
 * ready `client`, and `webhook`: core's webhook options (`secret`, `secrets`, `on`, `store`,
 * `maxBodyBytes`, …) plus `path` (absolute, default `'/webhook'`, under the app's global
 * prefix unless excluded). Omit `webhook` for no route. `logger` defaults to Nest's `Logger`
 * (context `Pasis`). The same shape as `@pasis/fastify`'s; validated by core at start-up.
 *
 * `webhook.store` may be any store (`@pasis/postgres`'s too). Handlers see `ctx.tx` as that
 * store's transaction: annotate `ctx` with its type (`ctx: WebhookContext<PostgresTransaction<PoolClient>>`),
 * in `webhook.on` and on `@OnPasisEvent` methods alike.
 *
 * @example
 * PasisModule.forRoot({ appId: 'app_123', webhook: { secret: process.env.PASIS_WEBHOOK_SECRET } });
 */
export type PasisModuleOptions = PasisPluginOptions;
