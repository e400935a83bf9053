import {
  checkoutErrorStatus,
  createPasisClient,
  isPasisError,
  type PasisLogger,
  type WebhookStore,
} from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
import express, { type Request, type Response } from 'express';
import { z } from 'zod';
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
}

const checkoutInput = z.object({
  email: z.email('Enter a valid email address.'),
  product_id: z.string().default(DEFAULT_PRODUCT_ID),
});

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

/** The shop as an Express app, not listening (main.ts listens; tests use port 0). */
export function createApp(options: ShopOptions): express.Express {
  const orders = options.orders ?? createMemoryOrderStore();
  const logger = options.logger;
  const pasis = createPasisClient({ appId: options.pasis.appId, baseUrl: options.pasis.baseUrl, logger });
  const app = express();
  app.disable('x-powered-by');

  // The webhook comes first: it reads the raw bytes itself (signatures are over them), so
  // the body parsers mounted below it never touch its requests.
  app.use(
    pasisWebhook({
      secret: options.pasis.webhookSecret,
      store: options.webhookStore,
      logger,
      on: {
        'session:processed': async (event, ctx) => {
          const result = await settleOrder(orders, event);
          ctx.logger.info(`session ${event.session_id} ${event.status}: order ${result}`);
        },
      },
    }),
  );
  app.use(express.urlencoded({ extended: false, limit: '10kb' }), express.json({ limit: '10kb' }));

  app.get('/', (_req, res) => void res.type('html').send(shopPage(CATALOGUE)));

  app.post('/checkout', async (req: Request, res: Response) => {
    const input = checkoutInput.safeParse(req.body ?? {});
    const product = input.success ? findProduct(input.data.product_id) : undefined;
    if (!input.success || !product) {
      const message = input.success
        ? 'Unknown product.'
        : (input.error.issues[0]?.message ?? 'Invalid input.');
      if (wantsJson(req)) return void res.status(400).json({ error: { code: 'invalid_input', message } });
      return void res.status(400).type('html').send(shopPage(CATALOGUE, message));
    }
    // The amount comes from the catalogue, never from the request.
    const order = await orders.create({
      product_id: product.id,
      email: input.data.email,
      amount: product.amount,
    });
    try {
      const session = await pasis.checkout.sessions.create(
        { items: [{ name: product.name, amount: product.amount }], email: order.email },
        { idempotencyKey: order.id },
      );
      await orders.attachSession(order.id, session.session_id);
      if (!wantsJson(req)) return void res.redirect(303, session.payment_link);
      res
        .status(201)
        .json({ order_id: order.id, session_id: session.session_id, payment_link: session.payment_link });
    } catch (error) {
      await orders.transition(order.id, 'pending', 'failed');
      if (!isPasisError(error)) throw error;
      res.status(checkoutErrorStatus(error)).json({ error: { code: error.code, message: error.message } });
    }
  });

  app.get('/orders/:id', async (req: Request, res: Response) => {
    const order = await orders.get(String(req.params.id));
    if (!order) {
      if (wantsJson(req))
        return void res.status(404).json({ error: { code: 'not_found', message: 'No such order.' } });
      return void res.status(404).type('html').send(notFoundPage('No such order.'));
    }
    if (wantsJson(req)) {
      return void res.json({
        id: order.id,
        status: order.status,
        amount: order.amount,
        session_id: order.session_id,
      });
    }
    res.type('html').send(orderPage(order));
  });

  // Shows what the webhook recorded; the `status` in the query string is ignored on purpose.
  app.get('/return', async (req: Request, res: Response) => {
    const sessionId = typeof req.query.session_id === 'string' ? req.query.session_id : '';
    const order = sessionId ? await orders.findBySession(sessionId) : undefined;
    if (!order) return void res.status(404).type('html').send(notFoundPage('We do not know this payment.'));
    res.type('html').send(returnPage(order));
  });

  return app;
}
