import formbody from '@fastify/formbody';
import { checkoutErrorStatus, isPasisError, PasisError, type PasisLogger } from '@pasis/core';
import { fromPinoLogger } from '@pasis/core/node';
import {
  applyServerTimeouts,
  type BadInput,
  badInputAnswer,
  badInputFromError,
  CATALOGUE,
  createOrderStore,
  createReturnPage,
  createShopReconciler,
  DEFAULT_PRODUCT_ID,
  findProduct,
  invalidInput,
  loggableError,
  notFoundPage,
  onSessionProcessed,
  orderJson,
  orderPage,
  returnPage,
  type ShopConfig,
  type ShopDatabase,
  type ShopWebhookContext,
  SHOP_BODY_LIMIT_BYTES,
  SHOP_REQUEST_TIMEOUT_MS,
  shopPage,
  startCheckout,
  startReconciling,
  unsupportedBody,
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

interface CheckoutBody {
  email: string;
  product_id?: string;
}

const checkoutSchema = {
  body: {
    type: 'object',
    required: ['email'],
    properties: {
      email: { type: 'string', format: 'email', maxLength: 254 },
      product_id: { type: 'string', enum: CATALOGUE.map((p) => p.id), default: DEFAULT_PRODUCT_ID },
    },
  },
} as const;

const wantsJson = (request: FastifyRequest) => (request.headers.accept ?? '').includes('application/json');

function sendBadInput(request: FastifyRequest, reply: FastifyReply, bad: BadInput) {
  const { status, contentType, body } = badInputAnswer(bad, wantsJson(request));
  return reply.code(status).type(contentType).send(body);
}

// The schema's verdict in the shop's words: which field was wrong, never its value.
const validationMessage = (error: { validation?: { instancePath?: string }[] }) =>
  error.validation?.some((issue) => issue.instancePath === '/product_id')
    ? 'Unknown product.'
    : 'Enter a valid email address.';

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
  const orderForReturnPage = createReturnPage({
    orders,
    reconciler,
    intervalMs: options.returnCheckIntervalMs,
  });
  app.addHook('onListen', async () => startReconciling(reconciler, options.reconcile));
  app.addHook('onClose', () => reconciler.stop()); // before the caller closes the database

  // Bad input (the schema, or a body Fastify could not parse): answered 4xx, never logged
  // (an error's message may quote the body). Anything else (the database down, say): logged
  // masked, and a plain 500 without its details.
  app.setErrorHandler((error: { validation?: { instancePath?: string }[] }, request, reply) => {
    const bad = error.validation ? invalidInput(validationMessage(error)) : badInputFromError(error);
    if (bad) return sendBadInput(request, reply, bad);
    logger.error('shop: a request failed', { error: loggableError(error) });
    return reply.code(500).type('text/plain').send('Something went wrong. Please try again.');
  });

  app.get('/', async (_request, reply) => reply.type('text/html').send(shopPage(CATALOGUE)));

  // Bodies the shop does not read (another type, another charset) are refused before any parser.
  const refuseUnsupported = async (request: FastifyRequest, reply: FastifyReply) => {
    const bad = unsupportedBody(request.headers);
    if (bad) return sendBadInput(request, reply, bad);
  };

  const checkoutRoute = { schema: checkoutSchema, onRequest: refuseUnsupported };
  app.post<{ Body: CheckoutBody }>('/checkout', checkoutRoute, async (request, reply) => {
    const product = findProduct(request.body.product_id ?? DEFAULT_PRODUCT_ID)!; // the schema's enum
    try {
      const { order, paymentLink } = await startCheckout(
        { orders, client: app.pasis.client },
        product,
        request.body.email,
      );
      if (!wantsJson(request)) return reply.redirect(paymentLink, 303);
      return reply
        .code(201)
        .send({ order_id: order.id, session_id: order.session_id, payment_link: paymentLink });
    } catch (error) {
      if (!isPasisError(error)) throw error;
      return reply
        .code(checkoutErrorStatus(error))
        .send({ error: { code: error.code, message: error.message } });
    }
  });

  app.get<{ Params: { id: string } }>('/orders/:id', async (request, reply: FastifyReply) => {
    const order = await orders.get(request.params.id);
    if (!order) {
      if (wantsJson(request))
        return reply.code(404).send({ error: { code: 'not_found', message: 'No such order.' } });
      return reply.code(404).type('text/html').send(notFoundPage('No such order.'));
    }
    if (wantsJson(request)) return orderJson(order);
    return reply.type('text/html').send(orderPage(order));
  });

  // The status recorded by the server (asking Pasis first while pending), never the query string's.
  app.get<{ Querystring: { session_id?: string } }>('/return', async (request, reply) => {
    const sessionId = typeof request.query.session_id === 'string' ? request.query.session_id : '';
    const order = await orderForReturnPage(sessionId);
    if (!order) return reply.code(404).type('text/html').send(notFoundPage('We do not know this payment.'));
    return reply.type('text/html').send(returnPage(order));
  });

  return app;
}
