/**
 * `@pasis/nestjs`: Pasis Checkout for NestJS 11.
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
  WebhookHandler,
  WebhookOn,
  WebhookReceiver,
} from '@pasis/core';
export type { PasisEventRequest } from './handler-runner.js';
export { PasisClient } from './pasis.client.js';
export { OnPasisEvent } from './pasis.decorators.js';
export { PasisModule } from './pasis.module.js';
export { PASIS_WEBHOOKS } from './pasis.module-definition.js';
export type { PasisModuleOptions } from './pasis.options.js';
