/**
 * `@pasis/express`: Pasis Checkout webhooks for Express 4.21+ and 5.
 */
export { pasisWebhook } from './webhook.js';
export type { ExpressWebhookRequest, PasisWebhookMiddleware, PasisWebhookOptions } from './webhook.js';
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
