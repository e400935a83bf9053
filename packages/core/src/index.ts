/**
 * `@pasis/core`: the Pasis Checkout client and the whole webhook protocol, for applications.
 * Explicit named exports only: what is not here is internal. Adapter and store authors have
 * `@pasis/core/adapter` (and `@pasis/core/node` for Node's `http`); tests have
 * `@pasis/core/testing`. docs/public-names.md lists every entry's names (a test holds it).
 */

// The checkout client.
export type { CheckoutSessions, RequestOptions, RetrieveOptions } from './client/checkout-sessions.js';
export type { PasisClient } from './client/create-client.js';
export { createPasisClient } from './client/create-client.js';
export { checkoutErrorStatus } from './client/error-status.js';
export type { PasisClientOptions } from './client/options.js';
export type { CheckoutItem, CreateSessionParams } from './client/params.js';
export type { CheckoutSessionStatus, RetrievedCheckoutSession } from './client/retrieved-session.js';
export type { CheckoutSession } from './client/wire.js';
export type { MemoryStore, MemoryStoreOptions } from './dedupe/memory-store.js';
// Exactly once: the store interface and the default store.
export { createMemoryStore } from './dedupe/memory-store.js';
export type { WebhookStore } from './dedupe/store.js';
export type {
  ClientErrorCode,
  PasisErrorCode,
  PasisErrorOptions,
  PasisIssue,
  WebhookErrorCode,
} from './errors.js';
// Errors: one class, literal codes.
export { isPasisError, PasisError } from './errors.js';
// Events.
export { sessionProcessedEvent } from './events/from-session.js';
export type {
  EventSource,
  PasisEvent,
  PasisEventKind,
  PasisEventOf,
  SessionCreatedEvent,
  SessionProcessedEvent,
  SessionStatus,
  UnknownPasisEvent,
} from './events/types.js';
export type { PasisLogger } from './logging/logger.js';
// Logging and telemetry.
export { defaultLogger, silentLogger } from './logging/logger.js';
export type { Reconciler } from './reconcile/create-reconciler.js';
// The reconciler.
export { createReconciler } from './reconcile/create-reconciler.js';
export { DEFAULT_RECONCILE_EVERY_MS, DEFAULT_RECONCILE_OLDER_THAN_MS } from './reconcile/options.js';
export type { CheckOutcome, CheckResult, ReconcileFailure, ReconcileSummary } from './reconcile/results.js';
export type {
  ReconcilerOptions,
  RunOptions,
  SessionRef,
  SessionsQuery,
  SessionsSource,
  StartOptions,
} from './reconcile/types.js';
export type {
  PasisMeterProvider,
  PasisTelemetryOptions,
  PasisTracerProvider,
} from './telemetry/source.js';
export type { ConfirmOptions } from './webhooks/confirm.js';
// Receiving webhooks.
export { confirmEvent } from './webhooks/confirm.js';
export type { HeaderSource } from './webhooks/headers.js';
export { WEBHOOK_ERROR_STATUS } from './webhooks/outcome.js';
export { createWebhookHandler } from './webhooks/receiver.js';
export type {
  ReceiveMeta,
  ReceiveResult,
  WebhookHandler,
  WebhookReceiver,
  WebhookRequest,
  WebhookResponse,
} from './webhooks/receiver-types.js';
export { maskWebhookSecret } from './webhooks/secret.js';
export type {
  AnyEventHandler,
  EventHandler,
  EventHandlerMap,
  UnknownEventHandler,
  WebhookContext,
  WebhookHandlerOptions,
  WebhookOn,
  WebhookRouteOptions,
} from './webhooks/types.js';
export type { RawBody, VerifyWebhookOptions } from './webhooks/verify.js';
export { verifyWebhook } from './webhooks/verify.js';
