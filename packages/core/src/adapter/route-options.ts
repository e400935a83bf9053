/**
 * An adapter's route options: its arguments read as one options object, and the route's
 * `path` (validated here, once, for every adapter) split from core's webhook options.
 */
import { CORE_PACKAGE, configError } from '../config.js';
import { isPlainObject } from '../util/is-plain-object.js';
import type { WebhookHandlerOptions, WebhookOn, WebhookRouteOptions } from '../webhooks/types.js';

/** Where adapters serve the webhook unless told otherwise. */
export const DEFAULT_WEBHOOK_PATH = '/webhook';

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
    throw configError(packageName, 'the webhook options must be an object.');
  }
  const { path = DEFAULT_WEBHOOK_PATH, ...rest } = options ?? {};
  // Absolute, and a plain path: a query, a fragment or whitespace would never match a
  // request, and a route pattern (`:id`, `*`, `{…}`, `(…)`) would match other URLs than the
  // one Pasis is told to call in one framework, and none in another.
  if (typeof path !== 'string' || !/^\/[^\s?#:*(){}]*$/.test(path)) {
    throw configError(
      packageName,
      `path must be an absolute path starting with "/" (no spaces, query, fragment or route pattern), got ${JSON.stringify(path)}.`,
    );
  }
  return { path, options: rest };
}

// An event kind is `noun:verb`; no option name has a colon.
const looksLikeKind = (key: string) => key.includes(':');

/** Whether `value` is handlers (a function, or a map keyed by event kinds), not options. */
function isOn(value: unknown): boolean {
  if (typeof value === 'function') return true;
  if (!isPlainObject(value)) return false;
  const keys = Object.keys(value);
  return keys.length > 0 && keys.every(looksLikeKind);
}

/**
 * An adapter's arguments, `(on)`, `(on, options)` or `(options)`, as one route options object:
 * the first argument is either the handlers (`on`: a function, or a map of event kinds) or the
 * whole options, and nothing else. Options are then checked by {@link splitRouteOptions} and
 * `createWebhookHandler` as usual. Throws a `config_error` naming `packageName` when the
 * handlers are given twice, or options come first and something follows them.
 *
 * @example
 * export function pasisKoa(on?: WebhookOn | WebhookRouteOptions, options?: Omit<WebhookRouteOptions, 'on'>) {
 *   const { path, options: handlerOptions } = splitRouteOptions(routeArguments(on, options, '@pasis/koa'), '@pasis/koa');
 * }
 */
export function routeArguments<Tx>(
  first: WebhookOn<Tx> | WebhookRouteOptions<Tx> | undefined,
  second: Omit<WebhookRouteOptions<Tx>, 'on'> | undefined,
  packageName = CORE_PACKAGE,
): WebhookRouteOptions<Tx> {
  // `{}` is an empty map of handlers when options follow it (handlers added later with .on()).
  const empty = isPlainObject(first) && Object.keys(first).length === 0;
  if (!isOn(first) && !(empty && second !== undefined)) {
    if (second !== undefined) {
      throw configError(
        packageName,
        'the first argument is the handlers (a function, or a map of event kinds) and the second the options; ' +
          'options alone go first: pass (handlers, options) or ({ on: handlers, ...options }).',
      );
    }
    return (first as WebhookRouteOptions<Tx> | undefined) ?? {};
  }
  if (second !== undefined && !isPlainObject(second)) {
    throw configError(packageName, 'the options (second argument) must be an object.');
  }
  if (second !== undefined && Object.hasOwn(second, 'on')) {
    throw configError(
      packageName,
      'the handlers were given twice, as the first argument and as `on`: keep one.',
    );
  }
  return { ...second, on: first as WebhookOn<Tx> };
}
