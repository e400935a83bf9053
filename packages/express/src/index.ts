/**
 * `@pasis/express`: Pasis Checkout webhooks for Express 4.21+ and 5.
 */

// The core types a handler is annotated with, so that an app needs one import.
export type {
  AnyEventHandler,
  EventHandler,
  EventHandlerMap,
  PasisEvent,
  PasisEventKind,
  PasisEventOf,
  SessionCreatedEvent,
  SessionProcessedEvent,
  WebhookContext,
  WebhookOn,
} from '@pasis/core';
export type { ExpressWebhookRequest, PasisWebhookMiddleware, PasisWebhookOptions } from './webhook.js';
export { pasisWebhook } from './webhook.js';
