/**
 * `@pasis/core`: the Pasis Checkout client and the whole webhook protocol.
 * Explicit named exports only: what is not here is internal.
 */
export { isPasisError, PasisError } from './errors.js';
export type {
  ClientErrorCode,
  PasisErrorCode,
  PasisErrorOptions,
  PasisIssue,
  WebhookErrorCode,
} from './errors.js';
export { defaultLogger, silentLogger } from './logging/logger.js';
export type { PasisLogger } from './logging/logger.js';
export type {
  PasisMeterProvider,
  PasisTelemetryOptions,
  PasisTracerProvider,
} from './telemetry/source.js';

export * from './client/index.js';

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
export { isKnownEventKind, knownEventKinds } from './events/schemas.js';

export { createWebhookHandler, DEFAULT_MAX_BODY_BYTES } from './webhooks/receiver.js';
export type { WebhookAdapterInfo } from './webhooks/receiver-types.js';
export { DEFAULT_WEBHOOK_PATH, routeArguments, splitRouteOptions } from './webhooks/route.js';
export type { WebhookOn, WebhookRouteOptions } from './webhooks/types.js';
export { DEFAULT_TOLERANCE_SEC, verifyWebhook } from './webhooks/verify.js';
export type { RawBody, VerifyWebhookOptions } from './webhooks/verify.js';
export { WEBHOOK_ERROR_STATUS } from './webhooks/outcome.js';
export type { WebhookResponse } from './webhooks/receiver-types.js';
export type { HeaderSource } from './webhooks/headers.js';
export { maskWebhookSecret } from './webhooks/secret.js';
export type { AnyEventHandler, EventHandler, EventHandlerMap, UnknownEventHandler, WebhookContext, WebhookHandlerOptions } from './webhooks/types.js';
export type {
  ReceiveMeta,
  ReceiveResult,
  WebhookHandler,
  WebhookReceiver,
  WebhookRequest,
} from './webhooks/receiver-types.js';
export { dedupeKey } from './dedupe/dedupe-key.js';
export { sessionProcessedEvent } from './events/from-session.js';
export { confirmEvent } from './webhooks/confirm.js';
export type { ConfirmOptions } from './webhooks/confirm.js';

export * from './reconcile/index.js';

export {
  resolveAdapterOptions,
  withPackageName,
} from './adapter/index.js';
export type {
  AdapterOptionsInfo,
  PasisAdapterOptions,
  PasisPluginOptions,
  PluginWebhookOptions,
  ResolvedAdapterOptions,
} from './adapter/index.js';

export { createMemoryStore } from './dedupe/memory-store.js';
export type { MemoryStore, MemoryStoreOptions } from './dedupe/memory-store.js';
export { DEFAULT_DONE_TTL_MS, DEFAULT_LEASE_MS } from './dedupe/store.js';
export type { Awaitable, ClaimOptions, ClaimResult, ClaimTx, WebhookStore } from './dedupe/store.js';
