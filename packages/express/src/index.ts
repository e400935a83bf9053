/**
 * `@pasis/express`: Pasis Checkout for Express 4.21+ and 5.
 */
export { pasisWebhook } from './webhook.js';
export type { PasisWebhookMiddleware, PasisWebhookOptions, WebhookRequest } from './webhook.js';
export { pasisCheckout } from './checkout.js';
export type { CheckoutRequest, CheckoutResponse, PasisCheckoutOptions } from './checkout.js';
