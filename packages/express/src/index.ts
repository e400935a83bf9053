/**
 * `@pasis/express`: Pasis Checkout webhooks for Express 4.21+ and 5.
 */
export { pasisWebhook } from './webhook.js';
export type { ExpressWebhookRequest, PasisWebhookMiddleware, PasisWebhookOptions } from './webhook.js';
