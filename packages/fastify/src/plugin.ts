import {
  createPasisClient,
  createWebhookHandler,
  isPasisError,
  type PasisClient,
  type PasisEventKind,
  type EventHandler,
  type WebhookHandler,
} from '@pasis/core';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { toPasisLogger } from './logger.js';
import { optionError, type PasisFastifyOptions, prefixed, validateOptions } from './options.js';
import { registerWebhookRoute } from './webhook-route.js';

/** What the plugin decorates the app with: `app.pasis`. */
export interface PasisDecorator {
  /** Core's checkout client. Throws a `config_error` on use when no appId was configured. */
  readonly client: PasisClient;
  /**
   * Adds a typed handler for one kind after registration; returns a function removing it.
   * @example app.pasis.on('session:processed', async (event) => orders.settle(event.session_id, event.status));
   */
  on<K extends PasisEventKind>(kind: K, handler: EventHandler<K>): () => void;
  /** The core receiver behind the route (undefined without the `webhook` option). */
  readonly webhooks: WebhookHandler | undefined;
}

function makeClient(fastify: FastifyInstance, options: PasisFastifyOptions): () => PasisClient {
  if (options.client) return () => options.client!;
  const build = () =>
    createPasisClient({
      appId: options.appId,
      baseUrl: options.baseUrl,
      logger: options.logger ?? toPasisLogger(fastify.log),
    });
  if (options.appId !== undefined) {
    const client = prefixed(build);
    return () => client;
  }
  // Without an explicit appId the app may be webhook-only: try PASIS_APP_ID now, and
  // keep the configuration error for whoever actually uses the client.
  try {
    const client = build();
    return () => client;
  } catch (error) {
    if (!isPasisError(error, 'config_error')) throw error;
    return () => {
      throw optionError(`app.pasis.client is not configured: ${error.message}`);
    };
  }
}

async function pasisPlugin(fastify: FastifyInstance, options: PasisFastifyOptions) {
  if (fastify.hasDecorator('pasis')) {
    throw optionError('the plugin is already registered on this instance; register it once, at the root.');
  }
  validateOptions(options);
  const client = makeClient(fastify, options);
  const route = options.webhook;
  const webhooks = route
    ? prefixed(() =>
        createWebhookHandler(
          {
            secret: route.secret,
            secrets: route.secrets,
            unsafeAllowUnsigned: route.unsafeAllowUnsigned,
            on: route.handlers,
            onUnknownEvent: route.onUnknownEvent,
            store: route.store,
            maxBodyBytes: route.maxBodyBytes,
            toleranceSec: route.toleranceSec,
            logger: options.logger ?? toPasisLogger(fastify.log),
          },
          { name: '@pasis/fastify' },
        ),
      )
    : undefined;

  const decorator: PasisDecorator = {
    get client() {
      return client();
    },
    on(kind, handler) {
      if (!webhooks) throw optionError('app.pasis.on() needs the `webhook` option at registration.');
      return webhooks.on(kind, handler);
    },
    webhooks,
  };
  fastify.decorate('pasis', decorator);
  if (webhooks) await registerWebhookRoute(fastify, route?.path ?? '/webhook', webhooks);
}

/**
 * The Fastify 5 plugin: `app.pasis.client` (the checkout client) and, with `webhook`, a
 * route whose raw bytes go to `@pasis/core`, in its own encapsulated context so the rest
 * of the app keeps its JSON parsing.
 *
 * @example
 * await app.register(pasis, { webhook: { path: '/webhook', handlers: { 'session:processed': settle } } });
 * app.pasis.on('session:processed', async (event) => orders.settle(event.session_id, event.status));
 */
export const pasis = fp(pasisPlugin, { name: '@pasis/fastify', fastify: '5.x' });
