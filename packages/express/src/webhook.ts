import type { ServerResponse } from 'node:http';
import {
  createWebhookHandler,
  type WebhookOn,
  type WebhookReceiver,
  type WebhookRouteOptions,
} from '@pasis/core';
import { routeArguments, splitRouteOptions } from '@pasis/core/adapter';
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
  webhooks: WebhookReceiver<Tx>;
};

const RAW_BODY_HINT =
  '@pasis/express: the webhook request body was already parsed by another middleware, so its ' +
  'signature cannot be checked. Mount pasisWebhook() BEFORE express.json() / express.urlencoded() ' +
  '(app.use(pasisWebhook(handler)); app.use(express.json());), or keep the raw bytes with ' +
  'express.json({ verify: (req, _res, buf) => { req.rawBody = buf; } }).';

/**
 * Receives Pasis webhooks in Express 4.21+ and 5: reads the raw body (bounded by
 * `maxBodyBytes`), hands it to `@pasis/core`, and writes core's answer back. Every status
 * comes from core's table; a rejecting handler answers 500 so Pasis retries.
 * `app.use(pasisWebhook(…))` answers `POST <path>` (default `/webhook`) and passes every other
 * request on; on a route (`app.post('/x', pasisWebhook(…))`) it answers that route.
 *
 * Four spellings of one receiver, with the same defaults (the secret from
 * `PASIS_WEBHOOK_SECRET`, the path `/webhook`): `pasisWebhook(handler)` with one function for
 * every verified event, `pasisWebhook(handlers)` with a map of kind → handler,
 * `pasisWebhook(handlerOrMap, options)`, and `pasisWebhook({ on, ...options })`.
 *
 * @example
 * app.use(pasisWebhook(async (event) => {  // every verified event; POST /webhook
 *   if (event.kind === 'session:processed') await orders.settle(event.session_id, event.status);
 * }));
 * app.use(express.json());                  // after: the webhook needs the raw bytes
 * // or a map of kind → handler, with options:
 * app.post('/pasis/events', pasisWebhook({ 'session:processed': settle }, { secret: process.env.MY_SECRET }));
 */
export function pasisWebhook<Tx = undefined>(
  on: WebhookOn<Tx>,
  options?: Omit<PasisWebhookOptions<Tx>, 'on'>,
): PasisWebhookMiddleware<Tx>;
export function pasisWebhook<Tx = undefined>(options?: PasisWebhookOptions<Tx>): PasisWebhookMiddleware<Tx>;
export function pasisWebhook<Tx = undefined>(
  onOrOptions?: WebhookOn<Tx> | PasisWebhookOptions<Tx>,
  options?: Omit<PasisWebhookOptions<Tx>, 'on'>,
): PasisWebhookMiddleware<Tx> {
  // Core decides what the arguments mean and validates every option, naming this package.
  const route = routeArguments(onOrOptions, options, PACKAGE);
  const { path, options: handlerOptions } = splitRouteOptions(route, PACKAGE);
  const webhooks = createWebhookHandler(handlerOptions, { name: PACKAGE, rawBodyHint: RAW_BODY_HINT });

  const middleware = (req: ExpressWebhookRequest, res: ServerResponse, next: (error?: unknown) => void) => {
    // On a route, every request that reaches us is a delivery; as app.use(), only POST <path>.
    if (req.route === undefined && (req.method !== 'POST' || req.path !== path)) return next();
    return serveWebhook(webhooks, req, res);
  };
  return Object.assign(middleware, { webhooks });
}
