import type { PasisLogger } from '../logger.js';
import type { PasisEvent, PasisEventKind, PasisEventOf, UnknownPasisEvent } from '../events/types.js';
import type { WebhookStore } from '../dedupe/store.js';
import type { HeaderSource } from './headers.js';
import type { WebhookResponse } from './outcome.js';
import type { WebhookErrorCode } from '../errors.js';
import type { PasisClient } from '../client/create-client.js';
import type { PasisTelemetryOptions } from '../telemetry/source.js';

/** Where an event came from: a webhook delivery, or the reconciler asking Pasis (§1b). */
export type EventSource = 'webhook' | 'reconcile';

/**
 * What a handler learns about the delivery besides the event.
 *
 * @example
 * on: { 'session:processed': (event, ctx) => ctx.logger.info(`${ctx.source} ${ctx.deliveryId}`) }
 */
export interface WebhookContext<Tx = undefined> {
  /**
   * The `webhook-id` (the same on every retry), the derived key of an unsigned delivery, or
   * `reconcile:<session_id>` when the reconciler found the outcome.
   */
  deliveryId: string;
  /** When the sender signed the delivery; `undefined` when unsigned or reconciled. */
  timestamp: Date | undefined;
  /** Whether a signature was verified (`false` when unsigned, confirmed by fetch, or reconciled). */
  verified: boolean;
  /** Whether the outcome comes from Pasis's own answer to a retrieve (§1b), not from a body. */
  confirmed: boolean;
  /** `webhook` for a delivery, `reconcile` when the reconciler found the outcome. */
  source: EventSource;
  /**
   * The store's transaction, for handlers whose writes must commit with the dedupe record
   * (`@pasis/postgres`). `undefined` with the memory and Redis stores.
   */
  tx: Tx;
  /** The request's logger (the framework's, when an adapter passes one). */
  logger: PasisLogger;
  /**
   * Runs `effect` once this delivery's work is committed: after the transaction's COMMIT
   * with a transactional store (`@pasis/sql`, `@pasis/postgres`), once the delivery is
   * recorded as handled with the others. Never for a delivery whose handler threw or whose
   * commit failed (it is retried, and its handler registers the effect again), never for a
   * duplicate. Effects run once each, in order, after the last handler and before the
   * answer; one that throws is logged and changes nothing (the delivery stays handled, it is
   * not retried). A process that dies between the commit and the effect loses the effect:
   * for one that must not be lost, write an outbox row through `ctx.tx` instead.
   *
   * @example
   * ctx.afterCommit(() => mailer.sendReceipt(order.id)); // not for a rolled-back payment
   */
  afterCommit(effect: () => unknown): void;
}

/** Handles one kind of event. Throwing (or rejecting) answers 500, so Pasis retries. */
export type EventHandler<K extends PasisEventKind, Tx = undefined> = (
  event: PasisEventOf<K>,
  ctx: WebhookContext<Tx>,
) => unknown;

/** Handles every known event. */
export type AnyEventHandler<Tx = undefined> = (event: PasisEvent, ctx: WebhookContext<Tx>) => unknown;

/** Handles an event of a kind this SDK version does not know. */
export type UnknownEventHandler<Tx = undefined> = (
  event: UnknownPasisEvent,
  ctx: WebhookContext<Tx>,
) => unknown;

/**
 * Handlers per kind: one function or several, run in order.
 *
 * @example
 * { 'session:processed': async (event) => orders.markPaid(event.session_id) }
 */
export type EventHandlerMap<Tx = undefined> = {
  [K in PasisEventKind]?: EventHandler<K, Tx> | readonly EventHandler<K, Tx>[];
};

/**
 * Options of `createWebhookHandler`. Every option is validated at construction.
 * `tracerProvider` / `meterProvider` (default: the global ones) receive a span per delivery
 * and the `pasis.webhook.*` metrics; see {@link PasisTelemetryOptions}.
 */
export interface WebhookHandlerOptions<Tx = undefined> extends PasisTelemetryOptions {
  /** The endpoint's `whsec_…` secret. Default: `PASIS_WEBHOOK_SECRET`, read once here. */
  secret?: string;
  /** Several secrets during a rotation (old and new); any of them verifies. */
  secrets?: readonly string[];
  /**
   * Confirm-by-fetch, for a Pasis that does not sign (the provider documents no signing):
   * every event is checked against Pasis's own answer to a retrieve (CONTRACT §1b) before any
   * handler runs, and the handlers get the event rebuilt from that answer, never from the
   * body. An event for an unknown or still open session, or whose status or amount disagrees
   * with Pasis, is answered 422; Pasis unreachable is 503 (retried). With a secret as well,
   * deliveries are verified and confirmed. `true` confirms with the adapter's client (the
   * Fastify plugin's, Nest's), else `createPasisClient()` (`PASIS_APP_ID`); or pass
   * `{ client }`. Default: off.
   *
   * @example
   * createWebhookHandler({ confirm: { client: pasis }, on: { 'session:processed': settle } });
   */
  confirm?: boolean | { client: Pick<PasisClient, 'checkout'> };
  /**
   * With `confirm`: the most retrieves this receiver has in flight at once. A delivery that
   * needs one more is answered 503 `confirm_busy` (`Retry-After: 1`) at once, never queued,
   * so a flood of forgeries can neither pile up requests here nor hold a genuine delivery
   * behind them. Copies naming one session share one retrieve and count once. Default 8.
   *
   * @example
   * createWebhookHandler({ confirm: true, confirmMaxInFlight: 16 });
   */
  confirmMaxInFlight?: number;
  /**
   * Accept deliveries without verifying any signature. Unsafe: anyone who can reach the
   * endpoint can fake a payment; use `confirm` instead when there is no secret. Logged as
   * a warning once. Default `false`.
   */
  unsafeAllowUnsigned?: boolean;
  /** Handlers per kind, or one function for every known event. */
  on?: EventHandlerMap<Tx> | AnyEventHandler<Tx>;
  /** Called for unknown kinds before answering 200. Default: log at debug level. */
  onUnknownEvent?: UnknownEventHandler<Tx>;
  /** Deduplication store. Default: `createMemoryStore()` (one process). */
  store?: WebhookStore<Tx>;
  /** Default: `defaultLogger` (warnings and errors as Node process warnings). */
  logger?: PasisLogger;
  /** Largest body accepted, in bytes; larger ones get 413. Default 262,144 (256 KiB). */
  maxBodyBytes?: number;
  /**
   * How long an adapter that reads the body itself (the Fastify route, for `@pasis/fastify`
   * and Nest on Fastify) lets a body take to arrive, from its headers to its last byte; a
   * slower one (a trickle holding the connection) is answered 408 `body_timeout`. Default
   * 10,000 ms.
   *
   * @example
   * await app.register(pasis, { webhook: { bodyTimeoutMs: 5_000 } });
   */
  bodyTimeoutMs?: number;
  /** Allowed clock difference in seconds, both ways. Default 300. */
  toleranceSec?: number;
  /** How long a claim is held before another worker may take it over. Default 60,000 ms. */
  leaseMs?: number;
  /** How long handled delivery ids are remembered. Default 7 days. */
  doneTtlMs?: number;
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
  /**
   * Set by an adapter whose body stream failed or was cut off while being read (the sender
   * went away): core answers 400 `body_unreadable` without looking at `body`.
   */
  bodyUnreadable?: boolean;
  /** Set by an adapter whose body took longer than `bodyTimeoutMs` to arrive: core answers 408. */
  bodyTimedOut?: boolean;
  /** The framework's request logger, used for this delivery instead of the handler's. */
  logger?: PasisLogger;
}

/** Where an event handed to {@link WebhookHandler.receive} comes from, and how it is known. */
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

/** The receiver built by `createWebhookHandler`. */
export interface WebhookHandler<Tx = undefined> {
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
