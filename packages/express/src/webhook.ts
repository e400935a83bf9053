import type { ServerResponse } from 'node:http';
import {
  type AnyEventHandler,
  createWebhookHandler,
  type EventHandlerMap,
  type NodeWebhookRequest,
  readRawBody,
  toWebhookBody,
  type WebhookHandler,
  type WebhookHandlerOptions,
} from '@pasis/core';

/**
 * Options of {@link pasisWebhook}: core's `createWebhookHandler` options, plus `path`. `Tx`
 * is the store's transaction (`ctx.tx`), inferred from `store`.
 */
export interface PasisWebhookOptions<Tx = undefined> extends Omit<WebhookHandlerOptions<Tx>, 'on'> {
  /**
   * The path answered when mounted with `app.use(pasisWebhook(...))`, relative to the mount
   * point. Ignored when mounted on a route (`app.post('/path', pasisWebhook(...))`).
   * Default `'/webhook'`.
   */
  path?: string;
}

/** The request side of Express 4 and 5 that the middleware uses. */
export interface WebhookRequest extends NodeWebhookRequest {
  path: string;
  route?: unknown;
}

/** An Express middleware (structurally typed: works with Express 4 and 5 types alike). */
export type PasisWebhookMiddleware<Tx = undefined> = ((
  req: WebhookRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => Promise<void>) & {
  /** The core receiver behind the middleware: add handlers with `.webhooks.on(kind, fn)`. */
  webhooks: WebhookHandler<Tx>;
};

const EXPRESS_RAW_BODY_HINT =
  '@pasis/express: the webhook request body was already parsed by another middleware, so its ' +
  'signature cannot be checked. Mount pasisWebhook() BEFORE express.json() / express.urlencoded() ' +
  '(app.use(pasisWebhook(handlers)); app.use(express.json());), or keep the raw bytes with ' +
  'express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }).';

/**
 * Receives Pasis webhooks in Express 4.21+ and 5: reads the raw body (bounded by
 * `maxBodyBytes`), hands it to `@pasis/core`, and writes core's answer back. Every status
 * comes from core's table; a rejecting handler answers 500 so Pasis retries.
 *
 * @example
 * app.use(pasisWebhook({
 *   'session:processed': async (event) => orders.settle(event.session_id, event.status),
 * }));                                   // POST /webhook, secret from PASIS_WEBHOOK_SECRET
 * app.use(express.json());               // after: the webhook needs the raw bytes
 * // or on a route of your choice:
 * app.post('/pasis/events', pasisWebhook(handlers, { secret: process.env.MY_SECRET }));
 */
export function pasisWebhook<Tx = undefined>(
  handler: EventHandlerMap<Tx> | AnyEventHandler<Tx>,
  options: PasisWebhookOptions<Tx> = {},
): PasisWebhookMiddleware<Tx> {
  const { path = '/webhook', ...coreOptions } = options;
  if (typeof path !== 'string' || !path.startsWith('/')) {
    throw new TypeError(`@pasis/express: path must start with "/", got ${JSON.stringify(path)}.`);
  }
  const webhooks = createWebhookHandler(
    { ...coreOptions, on: handler },
    { name: '@pasis/express', rawBodyHint: EXPRESS_RAW_BODY_HINT },
  );

  const middleware = async (req: WebhookRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    // On a route, every request that reaches us is a delivery; as app.use(), only POST <path>.
    const mountedOnRoute = req.route !== undefined;
    if (!mountedOnRoute && (req.method !== 'POST' || req.path !== path)) return next();
    try {
      const read = await readRawBody(req, webhooks.maxBodyBytes);
      const answer = await webhooks.handle({ ...toWebhookBody(read), headers: req.headers });
      // Node's own API: identical on Express 4 and 5.
      res.writeHead(answer.status, answer.headers);
      res.end(answer.body);
    } catch (error) {
      // Only a broken socket gets here (core's handle never throws): Express's error path.
      next(error);
    }
  };
  return Object.assign(middleware, { webhooks });
}
