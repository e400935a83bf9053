/**
 * The options of a framework plugin or module (Fastify's plugin, Nest's module), resolved
 * and validated in one place: the client's options as core takes them, or a ready client,
 * and the webhook route as core's webhook options plus `path`. Adapters pass their users'
 * options through untouched, so both frameworks take the same names with the same errors.
 */
import type { PasisClient } from '../client/create-client.js';
import type { PasisClientOptions } from '../client/options.js';
import { configError } from '../config.js';
import type { WebhookStore } from '../dedupe/store.js';
import { isPasisLogger, type PasisLogger } from '../logging/logger.js';
import { isPlainObject } from '../util/is-plain-object.js';
import { WEBHOOK_OPTION_NAMES } from '../webhooks/option-names.js';
import type { WebhookHandlerOptions } from '../webhooks/types.js';
import { type WebhookRouteOptions } from '../webhooks/types.js';
import { adapterClient } from './adapter-client.js';
import { splitRouteOptions } from './route-options.js';

/**
 * What a framework plugin or module takes: core's client options as they are (or a ready
 * `client`), and `webhook`, core's webhook options plus the route's `path`.
 *
 * @example
 * const options: PasisAdapterOptions = { appId: 'app_123', webhook: { path: '/webhook', on: { 'session:processed': settle } } };
 */
export type PasisAdapterOptions<Tx = undefined> = PasisClientOptions & {
  /** A ready client, instead of the options to build one (`logger` still applies to the webhook). */
  client?: PasisClient;
  /**
   * The webhook route: core's webhook options plus `path`. Default: on, at `POST /webhook`,
   * with the secret from `PASIS_WEBHOOK_SECRET`. `false`: no route, the client only.
   */
  webhook?: WebhookRouteOptions<Tx> | boolean;
};

/**
 * `webhook` of {@link PasisPluginOptions}: core's webhook route options for any store.
 * `store` may hand its handlers any transaction; a handler given in `on` sees `ctx.tx` as
 * `never` until it annotates `ctx` with its store's transaction type.
 *
 * @example
 * const webhook: PluginWebhookOptions = {
 *   store: createPostgresStore({ db: pool }),
 *   on: { 'session:processed': (event, ctx: WebhookContext<PostgresTransaction<PoolClient>>) => settle(ctx.tx, event) },
 * };
 */
export type PluginWebhookOptions = Omit<WebhookRouteOptions<never>, 'store'> & {
  /** Deduplication store, of any kind (its transaction reaches handlers as `ctx.tx`). */
  // `any` and not `unknown`: TypeScript measures WebhookStore as invariant in Tx (its claim
  // result is a conditional type), so no other type accepts every store. It never reaches a
  // handler as `any`: there, `ctx.tx` is `never` until annotated.
  // biome-ignore lint/suspicious/noExplicitAny: see above
  store?: WebhookStore<any>;
};

/**
 * What a plugin or module takes where its framework's API cannot carry a type parameter
 * from the options to the handlers (Fastify's `register`, Nest's `forRoot`): the same
 * options as {@link PasisAdapterOptions}, for any store. Every `PasisAdapterOptions<Tx>` is
 * one. Nothing can check there that a handler's `ctx` annotation matches the store given:
 * keep the store and the handlers' transaction type side by side.
 *
 * @example
 * const options: PasisPluginOptions = { appId: 'app_123', webhook: { store, on: { 'session:processed': settle } } };
 */
export type PasisPluginOptions = PasisClientOptions & {
  /** A ready client, instead of the options to build one (`logger` still applies to the webhook). */
  client?: PasisClient;
  /**
   * The webhook route, for any store. Default: on, at `POST /webhook`, with the secret from
   * `PASIS_WEBHOOK_SECRET`. `false`: no route, the client only.
   */
  webhook?: PluginWebhookOptions | boolean;
};

/** What an adapter tells {@link resolveAdapterOptions} about itself. */
export interface AdapterOptionsInfo {
  /** The package named in every `config_error`, e.g. `'@pasis/fastify'`. */
  name: string;
  /** How the adapter exposes the client, for the error of an unconfigured one (`'app.pasis.client'`). */
  clientName: string;
  /** The framework's logger: the default of `logger`, for the client and the webhook. */
  logger?: PasisLogger;
}

/** {@link PasisAdapterOptions} after defaults and validation. */
export interface ResolvedAdapterOptions<Tx = undefined> {
  /** The client: the one given or the one built. Throws a `config_error` when no appId was found. */
  client: () => PasisClient;
  /** The route's path and the options for `createWebhookHandler`; `undefined` for `webhook: false`. */
  webhook: { path: string; options: WebhookHandlerOptions<Tx> } | undefined;
  /**
   * The logger the user chose (`webhook.logger`, else `logger`), if any: deliveries log there
   * instead of the framework's request logger.
   */
  logger: PasisLogger | undefined;
}

// Typed as a record of every client option: a new option of the client fails the build here
// until it is listed, instead of being refused as unknown.
const CLIENT_OPTIONS: Record<keyof PasisClientOptions, true> = {
  appId: true,
  baseUrl: true,
  timeoutMs: true,
  maxRetries: true,
  maxRetryAfterMs: true,
  fetch: true,
  logger: true,
  tracerProvider: true,
  meterProvider: true,
};

// Names used by the adapters before they shared one vocabulary.
const MOVED: Record<string, string> = {
  webhookSecret: 'webhook.secret',
  webhookSecrets: 'webhook.secrets',
  webhookPath: 'webhook.path',
  handlers: 'webhook.on',
};

function checkNames(o: Record<string, unknown>, fail: (message: string) => Error): void {
  for (const key of Object.keys(o)) {
    if (Object.hasOwn(CLIENT_OPTIONS, key) || key === 'client' || key === 'webhook') continue;
    if (Object.hasOwn(MOVED, key)) throw fail(`\`${key}\` is now \`${MOVED[key]}\`.`);
    if (WEBHOOK_OPTION_NAMES.has(key) || key === 'path') {
      throw fail(`\`${key}\` is a webhook option: pass it as \`webhook: { ${key} }\`.`);
    }
    throw fail(
      `unknown option \`${key}\`. The options are ${Object.keys(CLIENT_OPTIONS).join(', ')}, client and ` +
        'webhook (the route: its path and the webhook options).',
    );
  }
}

function isClient(value: unknown): value is PasisClient {
  const create = (value as { checkout?: { sessions?: { create?: unknown } } } | null)?.checkout?.sessions
    ?.create;
  return typeof create === 'function';
}

/**
 * Applies the defaults and validates a plugin's or module's options; throws a `config_error`
 * naming `info.name` on the first mistake: an unknown or misplaced option (a webhook option
 * outside `webhook`, with its new place), both `client` and the options to build one, a bad
 * client option, a bad `webhook.path`. Core's webhook options themselves are validated by
 * `createWebhookHandler`, which the adapter calls with `webhook.options`.
 *
 * Defaults: `logger` = `info.logger` (the framework's), for the client and the webhook;
 * the client's own defaults (`PASIS_APP_ID`, `PASIS_BASE_URL`, …) otherwise.
 *
 * @example
 * const { client, webhook, logger } = resolveAdapterOptions(options, { name: '@pasis/koa', clientName: 'ctx.pasis' });
 * const webhooks = webhook && createWebhookHandler(webhook.options, { name: '@pasis/koa' });
 */
export function resolveAdapterOptions<Tx = unknown>(
  // A plugin's options (any store) resolve with `Tx = unknown`: the store's own transaction
  // is what its handlers get at run time, whatever their annotation said.
  options: PasisAdapterOptions<Tx> | PasisPluginOptions | undefined,
  info: AdapterOptionsInfo,
): ResolvedAdapterOptions<Tx> {
  const fail = (message: string) => configError(info.name, message);
  if (options !== undefined && !isPlainObject(options)) throw fail('the options must be an object.');
  const o = (options ?? {}) as PasisAdapterOptions<Tx>;
  checkNames(o as Record<string, unknown>, fail);
  if (o.logger !== undefined && !isPasisLogger(o.logger)) {
    throw fail('logger must have debug, info, warn and error methods.');
  }
  const logger = o.logger ?? info.logger;
  const { client: given, webhook: route, ...clientOptions } = o;

  let client: () => PasisClient;
  if (given !== undefined) {
    if (!isClient(given)) throw fail('client must be a Pasis client (createPasisClient()).');
    const built = Object.keys(clientOptions).filter((key) => key !== 'logger');
    if (built.length > 0) {
      throw fail(`pass either \`client\` or the options to build one (${built.join(', ')}), not both.`);
    }
    client = () => given;
  } else {
    client = adapterClient({ ...clientOptions, logger }, info.name, info.clientName);
  }

  let webhook: ResolvedAdapterOptions<Tx>['webhook'];
  // On unless turned off: `register(pasis)` and `forRoot()` serve POST /webhook as they are.
  if (route !== false) {
    if (route !== undefined && typeof route !== 'boolean' && !isPlainObject(route)) {
      throw fail('the webhook options must be an object, or `false` for the client only (no route).');
    }
    const routeOptions: WebhookRouteOptions<Tx> = route === undefined || route === true ? {} : route;
    const { path, options: handlerOptions } = splitRouteOptions(routeOptions, info.name);
    const webhookLogger = handlerOptions.logger ?? logger;
    webhook = {
      path,
      options: webhookLogger ? { ...handlerOptions, logger: webhookLogger } : handlerOptions,
    };
  }
  const chosen = typeof route === 'object' ? (route.logger as PasisLogger | undefined) : undefined;
  return { client, webhook, logger: chosen ?? o.logger };
}
