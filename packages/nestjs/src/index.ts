/**
 * `@pasis/nestjs`: Pasis Checkout for NestJS 11.
 */
export { PasisModule } from './pasis.module.js';
export { PasisClient } from './pasis.client.js';
export { OnPasisEvent } from './pasis.decorators.js';
export { PASIS_WEBHOOKS } from './pasis.module-definition.js';
export type { PasisModuleOptions } from './pasis.options.js';
export type { PasisEventRequest } from './handler-runner.js';
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
  WebhookReceiver,
  WebhookOn,
} from '@pasis/core';
