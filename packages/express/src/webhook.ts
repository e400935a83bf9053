import type { ServerResponse } from 'node:http';
import {
  createWebhookHandler,
  PasisError,
  splitRouteOptions,
  type WebhookHandler,
  type WebhookRouteOptions,
} from '@pasis/core';
import { type NodeWebhookRequest, serveWebhook } from '@pasis/core/node';

const PACKAGE = '@pasis/express';

/**
 * Options of {@link pasisWebhook}: core's webhook options as they are (`secret`, `on`,
 * `store`, `maxBodyBytes`, …, validated by core), plus `path`: the path answered when
 * mounted with `app.use()`, relative to the mount point, default `'/webhook'` (ignored when
 * mounted on a route).
 *
 * @example
 * const options: PasisWebhookOptions = { secret: process.env.PASIS_WEBHOOK_SECRET, on: { 'session:processed': settle } };
 */
export type PasisWebhookOptions<Tx = undefined> = WebhookRouteOptions<Tx>;

/** The request side of Express 4 and 5 that the middleware uses. */
export interface ExpressWebhookRequest extends NodeWebhookRequest {
  path: string;
  route?: unknown;
}

/** An Express middleware (structurally typed: works with Express 4 and 5 types alike). */
export type PasisWebhookMiddleware<Tx = undefined> = ((
  req: ExpressWebhookRequest,
  res: ServerResponse,
  next: (error?: unknown) => void,
) => unknown) & {
  /** The core receiver behind the middleware: add handlers with `.webhooks.on(kind, fn)`. */
  webhooks: WebhookHandler<Tx>;
};

const RAW_BODY_HINT =
  '@pasis/express: the webhook request body was already parsed by another middleware, so its ' +
  'signature cannot be checked. Mount pasisWebhook() BEFORE express.json() / express.urlencoded() ' +
  '(app.use(pasisWebhook({ on })); app.use(express.json());), or keep the raw bytes with ' +
  'express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }).';

/**
 * Receives Pasis webhooks in Express 4.21+ and 5: reads the raw body (bounded by
 * `maxBodyBytes`), hands it to `@pasis/core`, and writes core's answer back. Every status
 * comes from core's table; a rejecting handler answers 500 so Pasis retries.
 * `app.use(pasisWebhook(options))` answers `POST <path>` and passes every other request on;
 * on a route (`app.post('/x', pasisWebhook(options))`) it answers that route.
 *
 * @example
 * app.use(pasisWebhook({
 *   on: { 'session:processed': async (event) => orders.settle(event.session_id, event.status) },
 * }));                                   // POST /webhook, secret from PASIS_WEBHOOK_SECRET
 * app.use(express.json());               // after: the webhook needs the raw bytes
 * // or on a route of your choice:
 * app.post('/pasis/events', pasisWebhook({ on: handlers, secret: process.env.MY_SECRET }));
 */
export function pasisWebhook<Tx = undefined>(
  options?: PasisWebhookOptions<Tx>,
  ...unexpected: never[]
): PasisWebhookMiddleware<Tx> {
  if (typeof options === 'function' || unexpected.length > 0) {
    // The signature of earlier versions, pasisWebhook(handlers, options).
    throw new PasisError(
      'config_error',
      `${PACKAGE}: pasisWebhook takes one options object, handlers in \`on\`: pasisWebhook({ on: handlers, ...options }).`,
    );
  }
  const { path, options: handlerOptions } = splitRouteOptions(options, PACKAGE);
  const webhooks = createWebhookHandler(handlerOptions, { name: PACKAGE, rawBodyHint: RAW_BODY_HINT });

  const middleware = (req: ExpressWebhookRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    // On a route, every request that reaches us is a delivery; as app.use(), only POST <path>.
    if (req.route === undefined && (req.method !== 'POST' || req.path !== path)) return next();
    return serveWebhook(webhooks, req, res);
  };
  return Object.assign(middleware, { webhooks });
}
