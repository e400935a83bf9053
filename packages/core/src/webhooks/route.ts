import { CORE_PACKAGE, configError } from '../config.js';
import { isPlainObject } from '../is-plain-object.js';
import type { WebhookHandlerOptions } from './types.js';

/** Where adapters serve the webhook unless told otherwise. */
export const DEFAULT_WEBHOOK_PATH = '/webhook';

/**
 * What every adapter takes for its webhook route: core's webhook options as they are, plus
 * the one thing that belongs to a framework, the route's `path`. One vocabulary in every
 * adapter: `secret`/`secrets`, `on`, `store`, `maxBodyBytes`, ….
 *
 * @example
 * const options: WebhookRouteOptions = { path: '/webhook', secret: process.env.PASIS_WEBHOOK_SECRET, on: { 'session:processed': settle } };
 */
export type WebhookRouteOptions<Tx = undefined> = WebhookHandlerOptions<Tx> & {
  /** The route's path, absolute. Default `'/webhook'`. */
  path?: string;
};

/**
 * Splits an adapter's route options into the validated path and the options core's
 * `createWebhookHandler` takes (validated there). For adapters: the path's rule lives here,
 * once, so every adapter accepts and refuses the same paths.
 *
 * @example
 * const { path, options: handlerOptions } = splitRouteOptions(options, '@pasis/koa');
 * const webhooks = createWebhookHandler(handlerOptions, { name: '@pasis/koa' });
 */
export function splitRouteOptions<Tx>(
  options: WebhookRouteOptions<Tx> | undefined,
  packageName = CORE_PACKAGE,
): { path: string; options: WebhookHandlerOptions<Tx> } {
  if (options !== undefined && !isPlainObject(options)) {
    throw configError('the webhook options must be an object.', packageName);
  }
  const { path = DEFAULT_WEBHOOK_PATH, ...rest } = options ?? {};
  // Absolute, and a plain path: a query, a fragment or whitespace would never match a
  // request, and a route pattern (`:id`, `*`, `{…}`, `(…)`) would match other URLs than the
  // one Pasis is told to call in one framework, and none in another.
  if (typeof path !== 'string' || !/^\/[^\s?#:*(){}]*$/.test(path)) {
    throw configError(
      `path must be an absolute path starting with "/" (no spaces, query, fragment or route pattern), got ${JSON.stringify(path)}.`,
      packageName,
    );
  }
  return { path, options: rest };
}
