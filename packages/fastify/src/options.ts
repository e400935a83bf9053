import type { PasisPluginOptions } from '@pasis/core/adapter';

/**
 * Options of the `@pasis/fastify` plugin, all optional: core's client options as they are
 * (`appId`, `baseUrl`, `timeoutMs`, `maxRetries`, `maxRetryAfterMs`, `fetch`, `logger`,
 * `tracerProvider`, `meterProvider`) or a ready `client`, and `webhook`: core's webhook
 * options (`secret`, `on`, `store`, …) plus `path` (default `'/webhook'`). The route is on by
 * default, with the secret from `PASIS_WEBHOOK_SECRET`; `webhook: false` registers the client
 * only. `logger` defaults to the app's logger, for the client and the webhook. Validated at
 * registration, by core, with `@pasis/fastify:` errors.
 *
 * `webhook.store` may be any store. Fastify's `register` cannot carry its transaction type to
 * the handlers, so a handler sees `ctx.tx` as `never` until it annotates `ctx` with the
 * store's transaction type (`ctx: WebhookContext<PostgresTransaction<PoolClient>>`).
 *
 * @example
 * await app.register(pasis, { appId: 'app_123', webhook: { path: '/webhook', on: { 'session:processed': settle } } });
 */
export type PasisFastifyOptions = PasisPluginOptions;
