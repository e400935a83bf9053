/**
 * The receiver as adapters and apps hold it: what a delivery is handed in as, what comes
 * back, the trusted way in (`receive`), and what an adapter tells core about itself.
 */
import type { PasisClient } from '../client/create-client.js';
import type { WebhookErrorCode } from '../errors.js';
import type { EventSource, PasisEvent, PasisEventKind, UnknownPasisEvent } from '../events/types.js';
import type { PasisLogger } from '../logging/logger.js';
import type { HeaderSource } from './headers.js';
import type { EventHandler } from './types.js';

/**
 * What an adapter writes back: a status, headers and a small JSON body. The headers
 * object may be shared between answers and is frozen: copy it to change it.
 */
export interface WebhookResponse {
  status: number;
  headers: Readonly<Record<string, string>>;
  body: string;
}

/**
 * What an adapter tells core about itself when it builds a receiver for its users. Not a
 * user option: users pass {@link WebhookHandlerOptions}, adapters add this beside them.
 *
 * @example
 * createWebhookHandler(options, { name: '@pasis/koa', rawBodyHint: 'Mount pasis before koa-bodyparser.' });
 */
export interface WebhookAdapterInfo {
  /** The package named in every `config_error` (`'@pasis/express: …'`). Default `'@pasis/core'`. */
  name?: string;
  /** Advice logged once when a delivery arrives already parsed (how to order the middleware). */
  rawBodyHint?: string;
  /**
   * The client an adapter already has (the Fastify plugin's, Nest's `PasisClient`), or a
   * function returning it (called only when needed; its `config_error` is reported as
   * confirm's): what `confirm: true` confirms with. Without one, `confirm: true` builds
   * `createPasisClient()`.
   */
  client?: PasisClient | (() => PasisClient);
  /**
   * The option a plugin takes its webhook route under (`'webhook'` for the Fastify plugin and
   * Nest's module): errors then say `webhook: { secret }` and offer `webhook: false`.
   */
  routeOption?: string;
}

/**
 * What an adapter's body reader came to, handed to `handle()` as it is (`read`): the bytes,
 * or why there are none. Core answers each from its table: `too_large` 413, `unreadable`
 * 400 (the stream failed or was cut off), `timed_out` 408 (slower than `bodyTimeoutMs`),
 * `consumed` 500 `body_already_parsed` (another parser read the stream first).
 * `@pasis/core/node`'s `readRawBody` returns one; `fetch()` reads a Fetch body into one.
 *
 * @example
 * const answer = await webhooks.handle({ read: await readRawBody(req, webhooks.maxBodyBytes), headers: req.headers });
 */
export type RawBodyResult =
  | { kind: 'bytes'; body: Uint8Array }
  | { kind: 'too_large' }
  | { kind: 'unreadable' }
  | { kind: 'timed_out' }
  | { kind: 'consumed'; parsed?: unknown };

/**
 * One delivery as an adapter (or an app) hands it to core: its headers and its body, either
 * as the raw bytes (`body`) or as what the adapter's body reader came to (`read`).
 *
 * @example
 * await webhooks.handle({ body: rawBytes, headers: req.headers }); // an app with the bytes
 * await webhooks.handle({ read: await readRawBody(req, limit), headers: req.headers }); // an adapter
 */
export interface WebhookRequest {
  /**
   * The raw body bytes exactly as received (Buffer, Uint8Array or string). Anything else
   * (a parsed object, `undefined`) means another parser consumed the body first, and is
   * answered `body_already_parsed`. Not looked at when `read` is given.
   */
  body?: unknown;
  /** What the adapter's body reader came to: every outcome is answered from core's table. */
  read?: RawBodyResult;
  headers: HeaderSource;
  /** The framework's request logger, used for this delivery instead of the receiver's. */
  logger?: PasisLogger;
}

/** Where an event handed to {@link WebhookReceiver.receive} comes from, and how it is known. */
export interface ReceiveMeta {
  /** `reconcile` for the reconciler; `webhook` for a delivery an adapter verified itself. */
  source: EventSource;
  /** Shown to handlers as `ctx.deliveryId`, e.g. `reconcile:<session_id>`. */
  deliveryId: string;
  /** Whether a signature was verified. Default `false`. */
  verified?: boolean;
  /** Whether the event was built from Pasis's answer to a retrieve (§1b). Default `false`. */
  confirmed?: boolean;
  /** When the sender signed it, if it was signed. */
  timestamp?: Date;
  /** The logger for this event. Default: the receiver's. */
  logger?: PasisLogger;
}

/**
 * What running an event through the receiver came to: the same outcomes as a delivery's
 * answer, without the HTTP. `in_progress` means someone else is handling the same outcome
 * right now; `handler_failed` and `store_unavailable` are worth another try later.
 */
export type ReceiveResult =
  | { ok: true; outcome: 'handled' | 'duplicate' | 'ignored' }
  | {
      ok: false;
      code: WebhookErrorCode;
      message: string;
      /** When the sender may try again (sent as `Retry-After`), if the cause said. */
      retryAfterMs?: number;
    };

/**
 * The receiver built by `createWebhookHandler`: `handle` and `fetch` for deliveries, `receive`
 * for trusted events, `on` for more handlers.
 *
 * @example
 * const webhooks: WebhookReceiver = createWebhookHandler({ on: { 'session:processed': settle } });
 */
export interface WebhookReceiver<Tx = undefined> {
  /** Answers one delivery. Never throws: every outcome is a response from the status table. */
  handle(request: WebhookRequest): Promise<WebhookResponse>;
  /** The same for the Fetch API (Hono, Next route handlers, Bun, Deno). */
  fetch(request: Request): Promise<Response>;
  /**
   * Runs an already trusted event through the same handlers, under the same deduplication
   * as a delivery (the reconciler's way in). Never rejects.
   *
   * @example
   * const result = await webhooks.receive(event, { source: 'reconcile', deliveryId: `reconcile:${id}`, confirmed: true });
   */
  receive(event: PasisEvent | UnknownPasisEvent, meta: ReceiveMeta): Promise<ReceiveResult>;
  /** Adds a handler for one kind after construction; returns a function that removes it. */
  on<K extends PasisEventKind>(kind: K, handler: EventHandler<K, Tx>): () => void;
  /** The configured body limit, so adapters stop reading a stream past it. */
  readonly maxBodyBytes: number;
  /** The configured `bodyTimeoutMs`, for adapters that read the body themselves. */
  readonly bodyTimeoutMs: number;
}

/**
 * The receiver's former name, kept for one minor version.
 *
 * @deprecated Use {@link WebhookReceiver}: the same type, named for what it is (the object
 * that receives deliveries), not for one of the event handlers it runs.
 *
 * @example
 * const webhooks: WebhookReceiver = createWebhookHandler(options); // was: WebhookHandler
 */
export type WebhookHandler<Tx = undefined> = WebhookReceiver<Tx>;
