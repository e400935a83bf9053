import {
  createWebhookHandler,
  type EventHandler,
  type PasisClient,
  type PasisEventKind,
  type WebhookReceiver,
} from '@pasis/core';
import { configError, resolveAdapterOptions } from '@pasis/core/adapter';
import { fromPinoLogger, registerFastifyWebhookRoute } from '@pasis/core/node';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { PasisFastifyOptions } from './options.js';

const PACKAGE = '@pasis/fastify';

const RAW_BODY_HINT =
  '@pasis/fastify: a middleware consumed the webhook request body before the route could read it ' +
  '(an Express body parser run through @fastify/middie?), so its signature cannot be checked. Do not ' +
  'run body-parsing middleware on the webhook path: the route reads the raw bytes itself.';

/** What the plugin decorates the app with: `app.pasis`. */
export interface PasisDecorator {
  /** Core's checkout client. Throws a `config_error` on use when no appId was configured. */
  readonly client: PasisClient;
  /**
   * Adds a typed handler for one kind after registration; returns a function removing it.
   * `ctx.tx` is the store's transaction: annotate `ctx` with its type to use it (`Tx` is
   * inferred from the annotation; without one, `ctx.tx` is `never`).
   * @example
   * app.pasis.on('session:processed', async (event) => orders.settle(event.session_id, event.status));
   * app.pasis.on('session:processed', (event, ctx: WebhookContext<PostgresTransaction<PoolClient>>) => settle(ctx.tx, event));
   */
  on<K extends PasisEventKind, Tx = never>(kind: K, handler: EventHandler<K, Tx>): () => void;
  /** The core receiver behind the route (`undefined` with `webhook: false`). */
  readonly webhooks: WebhookReceiver<unknown> | undefined;
}

async function pasisPlugin(fastify: FastifyInstance, options: PasisFastifyOptions) {
  if (fastify.hasDecorator('pasis')) {
    throw configError(
      PACKAGE,
      'the plugin is already registered on this instance; register it once, at the root.',
    );
  }
  const resolved = resolveAdapterOptions(options, {
    name: PACKAGE,
    clientName: 'app.pasis.client',
    logger: fromPinoLogger(fastify.log),
  });
  const { webhook } = resolved;
  const webhooks = webhook
    ? createWebhookHandler(webhook.options, {
        name: PACKAGE,
        rawBodyHint: RAW_BODY_HINT,
        client: resolved.client,
        routeOption: 'webhook',
      })
    : undefined;

  const decorator: PasisDecorator = {
    get client() {
      return resolved.client();
    },
    on(kind, handler) {
      if (!webhooks) {
        throw configError(
          PACKAGE,
          'app.pasis.on() adds a handler to the webhook route, and this plugin was registered with `webhook: false`: ' +
            'remove `webhook: false` (the route is on by default), or the handler could never run.',
        );
      }
      // The store's transaction reaches the handler at run time; its annotation is the app's word for its type.
      return webhooks.on(kind, handler as EventHandler<typeof kind, unknown>);
    },
    webhooks,
  };
  fastify.decorate('pasis', decorator);
  if (webhook && webhooks) {
    // Deliveries log through request.log (with its request id) unless a logger was given.
    await registerFastifyWebhookRoute(fastify, { path: webhook.path, webhooks, logger: resolved.logger });
  }
}

/**
 * The Fastify 5 plugin: `app.pasis.client` (the checkout client) and the webhook route
 * (default `POST /webhook`, secret from `PASIS_WEBHOOK_SECRET`; `webhook: false` for the
 * client only), whose raw bytes go to `@pasis/core`, in its own encapsulated context so the
 * rest of the app keeps its JSON parsing. Every answer is core's. Handlers come from
 * `webhook.on` or `app.pasis.on()`.
 *
 * @example
 * await app.register(pasis);   // POST /webhook, the secret from PASIS_WEBHOOK_SECRET
 * app.pasis.on('session:processed', async (event) => orders.settle(event.session_id, event.status));
 * // or: await app.register(pasis, { webhook: { path: '/hooks/pasis', on: { 'session:processed': settle } } });
 */
export const pasis = fp(pasisPlugin, { name: PACKAGE, fastify: '5.x' });
