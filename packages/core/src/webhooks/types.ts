/**
 * What an app writes for the receiver: its handlers, what they learn about a delivery, and
 * the receiver's options (with the route's `path`, as every adapter takes them).
 */
import type { PasisClient } from '../client/create-client.js';
import type { WebhookStore } from '../dedupe/store.js';
import type {
  EventSource,
  PasisEvent,
  PasisEventKind,
  PasisEventOf,
  UnknownPasisEvent,
} from '../events/types.js';
import type { PasisLogger } from '../logging/logger.js';
import type { PasisTelemetryOptions } from '../telemetry/source.js';

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

/**
 * The handlers an adapter takes as its first argument: one function for every verified event,
 * or a map of kind → handler (or handlers). The same thing as the `on` option.
 *
 * @example
 * const on: WebhookOn = { 'session:processed': async (event) => orders.settle(event) };
 */
export type WebhookOn<Tx = undefined> = AnyEventHandler<Tx> | EventHandlerMap<Tx>;

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
