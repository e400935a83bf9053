import formbody from '@fastify/formbody';
import { isPasisError, PasisError, type PasisLogger } from '@pasis/core';
import { fromPinoLogger } from '@pasis/core/node';
import {
  applyServerTimeouts,
  badInputAnswer,
  badInputFromError,
  CATALOGUE,
  checkoutFailed,
  createOrderStore,
  createReturnPage,
  createShopReconciler,
  htmlAnswer,
  jsonAnswer,
  loggableError,
  notFoundPage,
  onSessionProcessed,
  orderAnswer,
  readCheckoutInput,
  returnPage,
  SERVER_ERROR,
  SHOP_BODY_LIMIT_BYTES,
  SHOP_REQUEST_TIMEOUT_MS,
  type ShopAnswer,
  type ShopConfig,
  type ShopDatabase,
  type ShopWebhookContext,
  shopPage,
  startCheckout,
  startReconciling,
  unsupportedBody,
  wantsJson,
} from '@pasis/example-shop-kit';
import pasis from '@pasis/fastify';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';

export type { ShopConfig } from '@pasis/example-shop-kit';

/** Everything the shop is built from. */
export interface ShopOptions extends ShopConfig {
  /** Where orders live (opened by the caller, who closes it after `app.close()`). */
  database: ShopDatabase;
  logger?: PasisLogger;
  /** Fastify's own logger option. Default: off. */
  fastifyLogger?: FastifyServerOptions['logger'];
}

/** Writes one of shop-kit's answers: the HTTP layer's decisions are the kit's, the wiring Fastify's. */
const send = (reply: FastifyReply, answer: ShopAnswer) =>
  reply.code(answer.status).type(answer.contentType).send(answer.body);
const json = (request: FastifyRequest) => wantsJson(request.headers.accept);

/**
 * The shop as a Fastify instance, ready but not listening (main.ts listens; tests use port
 * 0). The reconciler starts once it listens (`onListen`) and is stopped by `app.close()`.
 */
export async function createApp(options: ShopOptions): Promise<FastifyInstance> {
  const { database } = options;
  const orders = createOrderStore(database);
  // bodyLimit: every parser of the shop's routes (the webhook route keeps its own limit).
  const app = Fastify({
    logger: options.fastifyLogger ?? false,
    bodyLimit: SHOP_BODY_LIMIT_BYTES,
    requestTimeout: SHOP_REQUEST_TIMEOUT_MS,
  });
  applyServerTimeouts(app.server);
  // Deliveries log through request.log unless a logger is given; the rest through app.log.
  const logger = options.logger ?? fromPinoLogger(app.log);
  await app.register(formbody);
  // Registered once: the client as app.pasis.client, and POST /webhook reading raw bytes in
  // its own context; the JSON and form routes below keep Fastify's parsers. The store is the
  // shop's own database, so ctx.tx commits the order, its payment and the dedupe record together.
  await app.register(pasis, {
    appId: options.pasis.appId,
    baseUrl: options.pasis.baseUrl,
    logger: options.logger,
    webhook: { path: '/webhook', secret: options.pasis.webhookSecret, store: database.webhookStore },
  });
  // Fastify's register cannot carry the store's transaction type: the annotation says it.
  app.pasis.on('session:processed', (event, ctx: ShopWebhookContext) => onSessionProcessed(event, ctx));
  const webhooks = app.pasis.webhooks;
  if (!webhooks)
    throw new PasisError('config_error', '@pasis/example-fastify: the webhook is not registered.');
  // Pasis's own answer (§1b), through the same handlers and dedupe as the webhook.
  const reconciler = createShopReconciler({ client: app.pasis.client, webhooks, orders, logger });
  const returnView = createReturnPage({
    orders,
    reconciler,
    intervalMs: options.returnCheckIntervalMs,
    approvalWindowMs: options.approvalWindowMs,
  });
  app.addHook('onListen', async () => startReconciling(reconciler, options.reconcile));
  app.addHook('onClose', () => reconciler.stop()); // before the caller closes the database

  // Bad input (a body Fastify could not parse): answered 4xx, never logged (an error's
  // message may quote the body). Anything else (the database down, say): logged masked, and a
  // plain 500 without its details.
  app.setErrorHandler((error, request, reply) => {
    const bad = badInputFromError(error);
    if (bad) return send(reply, badInputAnswer(bad, json(request)));
    logger.error('shop: a request failed', { error: loggableError(error) });
    return send(reply, SERVER_ERROR);
  });

  app.get('/', async (_request, reply) => send(reply, htmlAnswer(200, shopPage(CATALOGUE))));

  // Bodies the shop does not read (another type, another charset) are refused before any parser.
  const refuseUnsupported = async (request: FastifyRequest, reply: FastifyReply) => {
    const bad = unsupportedBody(request.headers);
    if (bad) return send(reply, badInputAnswer(bad, json(request)));
  };

  app.post('/checkout', { onRequest: refuseUnsupported }, async (request, reply) => {
    const input = readCheckoutInput(request.body);
    if ('status' in input) return send(reply, badInputAnswer(input, json(request)));
    try {
      const { order, paymentLink } = await startCheckout(
        { orders, client: app.pasis.client },
        input.product,
        input.email,
      );
      if (!json(request)) return reply.redirect(paymentLink, 303);
      return send(
        reply,
        jsonAnswer(201, { order_id: order.id, session_id: order.session_id, payment_link: paymentLink }),
      );
    } catch (error) {
      if (!isPasisError(error)) throw error;
      return send(reply, checkoutFailed(error));
    }
  });

  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply) =>
    send(reply, orderAnswer(await orders.get(request.params.id), json(request))),
  );

  // The status recorded by the server (asking Pasis first while pending), never the query string's.
  app.get<{ Querystring: { session_id?: string } }>('/return', async (request, reply) => {
    const sessionId = typeof request.query.session_id === 'string' ? request.query.session_id : '';
    const view = await returnView(sessionId);
    if (!view) return send(reply, htmlAnswer(404, notFoundPage('We do not know this payment.')));
    return send(reply, htmlAnswer(200, returnPage(view)));
  });

  return app;
}
