import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  checkoutErrorStatus,
  createPasisClient,
  isPasisError,
  type PasisLogger,
  silentLogger,
} from '@pasis/core';
import { pasisWebhook } from '@pasis/express';
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
  SHOP_BODY_LIMIT_BYTES,
  type ShopConfig,
  type ShopDatabase,
  shopPage,
  startCheckout,
  startReconciling,
  unsupportedBody,
} from '@pasis/example-shop-kit';
import express, { type NextFunction, type Request, type Response } from 'express';
import { z } from 'zod';

export type { ShopConfig } from '@pasis/example-shop-kit';

/** Everything the shop is built from. */
export interface ShopOptions extends ShopConfig {
  /** Where orders live (opened by the caller, who closes it after the shop). */
  database: ShopDatabase;
  logger?: PasisLogger;
}

/** The shop: its Express app, and its lifecycle around a server. */
export interface ExpressShop {
  app: express.Express;
  /** Listens, then starts the reconciler. `close()` stops the reconciler (awaited), then the server. */
  listen(port: number, host: string): Promise<ListeningShop>;
}

/** A shop serving on a port. */
export interface ListeningShop {
  url: string;
  server: Server;
  close(): Promise<void>;
}

const checkoutInput = z.object({
  email: z.email('Enter a valid email address.'),
  product_id: z.string().default(DEFAULT_PRODUCT_ID),
});

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

function sendBadInput(req: Request, res: Response, bad: BadInput) {
  const { status, contentType, body } = badInputAnswer(bad, wantsJson(req));
  res.status(status).type(contentType).send(body);
}

/** The shop as an Express app, not listening (main.ts listens; tests use port 0). */
export function createApp(options: ShopOptions): ExpressShop {
  const { database } = options;
  const logger = options.logger ?? silentLogger;
  const orders = createOrderStore(database);
  const pasis = createPasisClient({ appId: options.pasis.appId, baseUrl: options.pasis.baseUrl, logger });
  const app = express();
  app.disable('x-powered-by');

  // The webhook comes first: it reads the raw bytes itself (signatures are over them), so
  // the body parsers mounted below it never touch its requests. The store is the shop's own
  // database: ctx.tx (typed from the store) commits the order, its payment and the dedupe
  // record together.
  const webhook = pasisWebhook({
    secret: options.pasis.webhookSecret,
    store: database.webhookStore,
    logger,
    on: { 'session:processed': onSessionProcessed },
  });
  app.use(webhook);
  // Pasis's own answer (§1b), through the same handlers and dedupe as the webhook.
  const reconciler = createShopReconciler({ client: pasis, webhooks: webhook.webhooks, orders, logger });
  const orderForReturnPage = createReturnPage({
    orders,
    reconciler,
    intervalMs: options.returnCheckIntervalMs,
  });
  // Bodies the shop does not read (another type, another charset) are refused before any parser.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const bad = unsupportedBody(req.headers);
    if (bad) return void sendBadInput(req, res, bad);
    next();
  });
  const limit = SHOP_BODY_LIMIT_BYTES;
  app.use(express.urlencoded({ extended: false, limit }), express.json({ limit }));

  app.get('/', (_req, res) => void res.type('html').send(shopPage(CATALOGUE)));

  app.post('/checkout', async (req: Request, res: Response) => {
    const input = checkoutInput.safeParse(req.body ?? {});
    const product = input.success ? findProduct(input.data.product_id) : undefined;
    if (!input.success || !product) {
      const message = input.success
        ? 'Unknown product.'
        : (input.error.issues[0]?.message ?? 'Invalid input.');
      return void sendBadInput(req, res, invalidInput(message));
    }
    try {
      const { order, paymentLink } = await startCheckout(
        { orders, client: pasis },
        product,
        input.data.email,
      );
      if (!wantsJson(req)) return void res.redirect(303, paymentLink);
      res.status(201).json({ order_id: order.id, session_id: order.session_id, payment_link: paymentLink });
    } catch (error) {
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
    if (wantsJson(req)) return void res.json(orderJson(order));
    res.type('html').send(orderPage(order));
  });

  // The status recorded by the server (asking Pasis first while pending), never the query string's.
  app.get('/return', async (req: Request, res: Response) => {
    const sessionId = typeof req.query.session_id === 'string' ? req.query.session_id : '';
    const order = await orderForReturnPage(sessionId);
    if (!order) return void res.status(404).type('html').send(notFoundPage('We do not know this payment.'));
    res.type('html').send(returnPage(order));
  });

  // A body the parsers refused is bad input: answered 4xx, never logged (body-parser's error
  // holds the raw body). Anything else (the database down, say): logged masked, and a plain 500.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const bad = badInputFromError(error);
    if (bad && !res.headersSent) return void sendBadInput(req, res, bad);
    logger.error('shop: a request failed', { error: loggableError(error) });
    if (!res.headersSent) res.status(500).type('text').send('Something went wrong. Please try again.');
  });

  async function listen(port: number, host: string): Promise<ListeningShop> {
    const server = app.listen(port, host);
    applyServerTimeouts(server);
    await once(server, 'listening');
    startReconciling(reconciler, options.reconcile);
    const { port: actual } = server.address() as AddressInfo;
    return {
      url: `http://${host}:${actual}`,
      server,
      async close() {
        await reconciler.stop(); // before the database goes: a run in flight finishes first
        await new Promise<void>((resolve) => {
          server.close(() => resolve());
          server.closeAllConnections();
        });
      },
    };
  }

  return { app, listen };
}
