import formbody from '@fastify/formbody';
import { checkoutErrorStatus, isPasisError, type PasisLogger, type WebhookStore } from '@pasis/core';
import pasis from '@pasis/fastify';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  type FastifyServerOptions,
} from 'fastify';
import {
  CATALOGUE,
  createMemoryOrderStore,
  DEFAULT_PRODUCT_ID,
  findProduct,
  notFoundPage,
  type OrderStore,
  orderPage,
  type ShopConfig,
  returnPage,
  settleOrder,
  shopPage,
} from '@pasis/example-shop-kit';

export type { ShopConfig } from '@pasis/example-shop-kit';

/** Everything the shop is built from; only `pasis` is required. */
export interface ShopOptions extends ShopConfig {
  orders?: OrderStore;
  /** The webhook dedupe store; default in memory (use @pasis/redis for several instances). */
  webhookStore?: WebhookStore;
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

/** The shop as a Fastify instance, ready but not listening (main.ts listens; tests use port 0). */
export async function createApp(options: ShopOptions): Promise<FastifyInstance> {
  const orders = options.orders ?? createMemoryOrderStore();
  const app = Fastify({ logger: options.fastifyLogger ?? false });
  await app.register(formbody);
  // Registered once: the client as app.pasis.client, and POST /webhook reading raw bytes in
  // its own context; the JSON and form routes below keep Fastify's parsers.
  await app.register(pasis, {
    appId: options.pasis.appId,
    baseUrl: options.pasis.baseUrl,
    logger: options.logger,
    webhook: { path: '/webhook', secret: options.pasis.webhookSecret, store: options.webhookStore },
  });
  app.pasis.on('session:processed', async (event, ctx) => {
    const result = await settleOrder(orders, event);
    ctx.logger.info(`session ${event.session_id} ${event.status}: order ${result}`);
  });

  app.setErrorHandler((error: { validation?: unknown; message: string }, request, reply) => {
    if (!error.validation) throw error;
    if (wantsJson(request))
      return reply.code(400).send({ error: { code: 'invalid_input', message: error.message } });
    return reply.code(400).type('text/html').send(shopPage(CATALOGUE, 'Enter a valid email address.'));
  });

  app.get('/', async (_request, reply) => reply.type('text/html').send(shopPage(CATALOGUE)));

  app.post<{ Body: CheckoutBody }>('/checkout', { schema: checkoutSchema }, async (request, reply) => {
    // The amount comes from the catalogue, never from the request.
    const product = findProduct(request.body.product_id ?? DEFAULT_PRODUCT_ID)!;
    const order = await orders.create({
      product_id: product.id,
      email: request.body.email,
      amount: product.amount,
    });
    try {
      const session = await app.pasis.client.checkout.sessions.create(
        { items: [{ name: product.name, amount: product.amount }], email: order.email },
        { idempotencyKey: order.id },
      );
      await orders.attachSession(order.id, session.session_id);
      if (!wantsJson(request)) return reply.redirect(session.payment_link, 303);
      return reply
        .code(201)
        .send({ order_id: order.id, session_id: session.session_id, payment_link: session.payment_link });
    } catch (error) {
      await orders.transition(order.id, 'pending', 'failed');
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
    if (wantsJson(request)) {
      return { id: order.id, status: order.status, amount: order.amount, session_id: order.session_id };
    }
    return reply.type('text/html').send(orderPage(order));
  });

  // Shows what the webhook recorded; the `status` in the query string is ignored on purpose.
  app.get<{ Querystring: { session_id?: string } }>('/return', async (request, reply) => {
    const sessionId = request.query.session_id ?? '';
    const order = sessionId ? await orders.findBySession(sessionId) : undefined;
    if (!order) return reply.code(404).type('text/html').send(notFoundPage('We do not know this payment.'));
    return reply.type('text/html').send(returnPage(order));
  });

  return app;
}
