import type { WebhookHandlerOptions } from './types.js';

// The option vocabulary of the receiver: every name it takes, and the names it refuses with
// a pointer to their new ones.

/** Every option of `createWebhookHandler`, by name (adapters refuse them where they do not belong). */
export const WEBHOOK_OPTION_NAMES: ReadonlySet<string> = new Set<string>([
  'secret',
  'secrets',
  'unsafeAllowUnsigned',
  'on',
  'onUnknownEvent',
  'store',
  'logger',
  'maxBodyBytes',
  'toleranceSec',
  'leaseMs',
  'doneTtlMs',
  'now',
  'confirm',
  'confirmMaxInFlight',
  'bodyTimeoutMs',
  'tracerProvider',
  'meterProvider',
] satisfies (keyof WebhookHandlerOptions)[]);

// Names used by earlier versions, or by the adapters before they shared one vocabulary.
export const RENAMED: Record<string, string> = {
  handlers: 'on',
  webhookSecret: 'secret',
  webhookSecrets: 'secrets',
  rawBodyHint: 'the adapter info (second argument of createWebhookHandler)',
  path: 'the adapter (createWebhookHandler serves no route of its own)',
  webhookPath: 'the adapter option `path`',
};
