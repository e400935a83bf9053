import { once } from 'node:events';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { createPasisClient, isPasisError, type PasisLogger, silentLogger } from '@pasis/core';
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
  type ShopAnswer,
  type ShopConfig,
  type ShopDatabase,
  shopPage,
  startCheckout,
  startReconciling,
  unsupportedBody,
  wantsJson,
} from '@pasis/example-shop-kit';
import { pasisWebhook } from '@pasis/express';
import express, { type NextFunction, type Request, type Response } from 'express';

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

/** Writes one of shop-kit's answers: the HTTP layer's decisions are the kit's, the wiring Express's. */
const send = (res: Response, answer: ShopAnswer) =>
  void res.status(answer.status).type(answer.contentType).send(answer.body);
const json = (req: Request) => wantsJson(req.headers.accept);

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
  const returnView = createReturnPage({
    orders,
    reconciler,
    intervalMs: options.returnCheckIntervalMs,
    approvalWindowMs: options.approvalWindowMs,
  });
  // Bodies the shop does not read (another type, another charset) are refused before any parser.
  app.use((req: Request, res: Response, next: NextFunction) => {
    const bad = unsupportedBody(req.headers);
    if (bad) return send(res, badInputAnswer(bad, json(req)));
    next();
  });
  const limit = SHOP_BODY_LIMIT_BYTES;
  app.use(express.urlencoded({ extended: false, limit }), express.json({ limit }));

  app.get('/', (_req, res) => send(res, htmlAnswer(200, shopPage(CATALOGUE))));

  app.post('/checkout', async (req: Request, res: Response) => {
    const input = readCheckoutInput(req.body);
    if ('status' in input) return send(res, badInputAnswer(input, json(req)));
    try {
      const { order, paymentLink } = await startCheckout(
        { orders, client: pasis },
        input.product,
        input.email,
      );
      if (!json(req)) return void res.redirect(303, paymentLink);
      send(
        res,
        jsonAnswer(201, { order_id: order.id, session_id: order.session_id, payment_link: paymentLink }),
      );
    } catch (error) {
      if (!isPasisError(error)) throw error;
      send(res, checkoutFailed(error));
    }
  });

  app.get('/orders/:id', async (req: Request, res: Response) =>
    send(res, orderAnswer(await orders.get(String(req.params.id)), json(req))),
  );

  // The status recorded by the server (asking Pasis first while pending), never the query string's.
  app.get('/return', async (req: Request, res: Response) => {
    const sessionId = typeof req.query.session_id === 'string' ? req.query.session_id : '';
    const view = await returnView(sessionId);
    if (!view) return send(res, htmlAnswer(404, notFoundPage('We do not know this payment.')));
    send(res, htmlAnswer(200, returnPage(view)));
  });

  // A body the parsers refused is bad input: answered 4xx, never logged (body-parser's error
  // holds the raw body). Anything else (the database down, say): logged masked, and a plain 500.
  app.use((error: unknown, req: Request, res: Response, _next: NextFunction) => {
    const bad = badInputFromError(error);
    if (bad && !res.headersSent) return send(res, badInputAnswer(bad, json(req)));
    logger.error('shop: a request failed', { error: loggableError(error) });
    if (!res.headersSent) send(res, SERVER_ERROR);
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
