/**
 * `@pasis/fastify`: the Fastify 5 plugin for Pasis Checkout.
 */
import './augment.js';
import { pasis } from './plugin.js';

export default pasis;
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
export type { PasisFastifyOptions } from './options.js';
export type { PasisDecorator } from './plugin.js';
export { pasis };
