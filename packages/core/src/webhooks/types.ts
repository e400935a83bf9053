import type { PasisLogger } from '../logger.js';
import type { PasisEvent, PasisEventKind, PasisEventOf, UnknownPasisEvent } from '../events/types.js';
import type { WebhookStore } from '../dedupe/store.js';
import type { HeaderSource } from './headers.js';
import type { WebhookResponse } from './outcome.js';

/** What a handler learns about the delivery besides the event. */
export interface WebhookContext {
  /** The `webhook-id` (the same on every retry), or the derived key of an unsigned delivery. */
  deliveryId: string;
  /** When the sender signed the delivery; `undefined` for an unsigned one. */
  timestamp: Date | undefined;
  /** Whether the signature was verified (`false` only with `unsafeAllowUnsigned`). */
  verified: boolean;
  /** The request's logger (the framework's, when an adapter passes one). */
  logger: PasisLogger;
}

/** Handles one kind of event. Throwing (or rejecting) answers 500, so Pasis retries. */
export type EventHandler<K extends PasisEventKind> = (event: PasisEventOf<K>, ctx: WebhookContext) => unknown;

/** Handles every known event. */
export type AnyEventHandler = (event: PasisEvent, ctx: WebhookContext) => unknown;

/** Handles an event of a kind this SDK version does not know. */
export type UnknownEventHandler = (event: UnknownPasisEvent, ctx: WebhookContext) => unknown;

/**
 * Handlers per kind: one function or several, run in order.
 *
 * @example
 * { 'session:processed': async (event) => orders.markPaid(event.session_id) }
 */
export type EventHandlerMap = { [K in PasisEventKind]?: EventHandler<K> | readonly EventHandler<K>[] };

/** Options of `createWebhookHandler`. Every option is validated at construction. */
export interface WebhookHandlerOptions {
  /** The endpoint's `whsec_…` secret. Default: `PASIS_WEBHOOK_SECRET`, read once here. */
  secret?: string;
  /** Several secrets during a rotation (old and new); any of them verifies. */
  secrets?: readonly string[];
  /**
   * Accept deliveries without verifying any signature. Unsafe: anyone who can reach the
   * endpoint can fake a payment. Logged as a warning once. Default `false`.
   */
  unsafeAllowUnsigned?: boolean;
  /** Handlers per kind, or one function for every known event. */
  on?: EventHandlerMap | AnyEventHandler;
  /** Called for unknown kinds before answering 200. Default: log at debug level. */
  onUnknownEvent?: UnknownEventHandler;
  /** Deduplication store. Default: `createMemoryStore()` (one process). */
  store?: WebhookStore;
  /** Default: `defaultLogger` (warnings and errors as Node process warnings). */
  logger?: PasisLogger;
  /** Largest body accepted, in bytes; larger ones get 413. Default 262,144 (256 KiB). */
  maxBodyBytes?: number;
  /** Allowed clock difference in seconds, both ways. Default 300. */
  toleranceSec?: number;
  /** How long a claim is held before another worker may take it over. Default 60,000 ms. */
  leaseMs?: number;
  /** How long handled delivery ids are remembered. Default 7 days. */
  doneTtlMs?: number;
  /**
   * Adapter-supplied advice logged (once) when the raw body was already consumed by
   * another parser, e.g. how to order Express middleware. Default: generic advice.
   */
  rawBodyHint?: string;
  /** The clock in milliseconds since the epoch (tests). Default `Date.now`. */
  now?: () => number;
}

/** One delivery as an adapter hands it to core. */
export interface WebhookRequest {
  /**
   * The raw body bytes exactly as received (Buffer, Uint8Array or string). Anything else
   * (a parsed object, `undefined`) means another parser consumed the body first, and is
   * answered `body_already_parsed`.
   */
  body: unknown;
  headers: HeaderSource;
  /**
   * Set by an adapter that stopped reading the body at `maxBodyBytes` (or saw a larger
   * `Content-Length`): core answers 413 without looking at `body`.
   */
  bodyTooLarge?: boolean;
  /** The framework's request logger, used for this delivery instead of the handler's. */
  logger?: PasisLogger;
}

/** The receiver built by `createWebhookHandler`. */
export interface WebhookHandler {
  /** Answers one delivery. Never throws: every outcome is a response from the status table. */
  handle(request: WebhookRequest): Promise<WebhookResponse>;
  /** The same for the Fetch API (Hono, Next route handlers, Bun, Deno). */
  fetch(request: Request): Promise<Response>;
  /** Adds a handler for one kind after construction; returns a function that removes it. */
  on<K extends PasisEventKind>(kind: K, handler: EventHandler<K>): () => void;
  /** The configured body limit, so adapters stop reading a stream past it. */
  readonly maxBodyBytes: number;
}
