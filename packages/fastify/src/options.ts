import {
  type AnyEventHandler,
  type EventHandlerMap,
  isPasisError,
  type PasisClient,
  PasisError,
  type PasisLogger,
  type UnknownEventHandler,
  type WebhookStore,
} from '@pasis/core';

/** Options of the webhook route. Omit `webhook` entirely to register the client only. */
export interface PasisWebhookRouteOptions {
  /** Route path. Default `'/webhook'`. */
  path?: string;
  /** The `whsec_…` secret. Default: `PASIS_WEBHOOK_SECRET` (read once, by core). */
  secret?: string;
  /** Several secrets during a rotation. */
  secrets?: readonly string[];
  /** Accept unsigned deliveries (unsafe; logged as a warning). Default `false`. */
  unsafeAllowUnsigned?: boolean;
  /** Handlers per kind, or one function for every event; `app.pasis.on()` adds more later. */
  handlers?: EventHandlerMap | AnyEventHandler;
  /** Called for event kinds this SDK does not know (answered 200). */
  onUnknownEvent?: UnknownEventHandler;
  /** Dedupe store. Default: core's in-memory store. */
  store?: WebhookStore;
  /** Largest body accepted; larger ones get 413 from core. Default 262,144 bytes. */
  maxBodyBytes?: number;
  /** Allowed clock difference in seconds. Default 300. */
  toleranceSec?: number;
}

/** Options of the `@pasis/fastify` plugin. */
export interface PasisFastifyOptions {
  /** Default `PASIS_APP_ID`. Without either, `app.pasis.client` throws on use (webhook-only apps). */
  appId?: string;
  /** Default `PASIS_BASE_URL`, else `https://checkout.pasis.rw`. */
  baseUrl?: string;
  /** A ready client, instead of `appId`/`baseUrl`. */
  client?: PasisClient;
  /** Logger for the client. Default: the app's logger (`fastify.log`). */
  logger?: PasisLogger;
  /** The webhook route; omitted, no route is registered. */
  webhook?: PasisWebhookRouteOptions;
}

/** A `config_error` naming the package, so the failing plugin is obvious in a stack of them. */
export function optionError(message: string): PasisError<'config_error'> {
  return new PasisError('config_error', `@pasis/fastify: ${message}`);
}

/** Re-raises core's configuration errors with the package's prefix. */
export function prefixed<T>(build: () => T): T {
  try {
    return build();
  } catch (error) {
    if (isPasisError(error, 'config_error') && !error.message.startsWith('@pasis/'))
      throw optionError(error.message);
    throw error;
  }
}

/** Checks the options up front, at registration, so a mistake fails the boot, not a request. */
export function validateOptions(options: PasisFastifyOptions): void {
  if (typeof options !== 'object' || options === null) throw optionError('options must be an object.');
  const { webhook } = options;
  if (webhook === undefined) return;
  if (typeof webhook !== 'object' || webhook === null) throw optionError('webhook must be an object.');
  if (webhook.path !== undefined && (typeof webhook.path !== 'string' || !webhook.path.startsWith('/'))) {
    throw optionError(`webhook.path must start with "/", got ${JSON.stringify(webhook.path)}.`);
  }
  const { handlers } = webhook;
  if (
    handlers !== undefined &&
    typeof handlers !== 'function' &&
    (typeof handlers !== 'object' || handlers === null)
  ) {
    throw optionError('webhook.handlers must be a map of kind → handler, or a function.');
  }
  if (
    webhook.maxBodyBytes !== undefined &&
    (!Number.isSafeInteger(webhook.maxBodyBytes) || webhook.maxBodyBytes <= 0)
  ) {
    throw optionError(`webhook.maxBodyBytes must be a positive integer, got ${webhook.maxBodyBytes}.`);
  }
}
