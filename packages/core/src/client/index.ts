/**
 * The checkout client's public surface; `@pasis/core` re-exports all of it.
 * Explicit named exports only: what is not here is internal.
 */
export type { CheckoutSessions, RequestOptions, RetrieveOptions } from './checkout-sessions.js';
export { createPasisClient } from './create-client.js';
export type { PasisClient } from './create-client.js';
export {
  DEFAULT_MAX_RETRIES,
  DEFAULT_MAX_RETRY_AFTER_MS,
  DEFAULT_TIMEOUT_MS,
} from './options.js';
export type { PasisClientOptions } from './options.js';
export type { CheckoutItem, CreateSessionParams } from './params.js';
export type { CheckoutSession } from './wire.js';
export type { CheckoutSessionStatus, RetrievedCheckoutSession } from './retrieved-session.js';
export { checkoutErrorStatus } from './error-status.js';
