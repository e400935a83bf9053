/**
 * `@pasis/core/node`: what adapters built on Node's `http` share, so that none of them
 * writes it again: reading a request's raw body (bounded, never waiting on a stream that
 * another middleware read), writing core's answer to a `ServerResponse`, both at once for a
 * Node `(req, res)`, the Fastify webhook route, and the bridge to pino-style loggers.
 * Node-only: core's main entry stays runtime-neutral and imports nothing of this.
 */
export type { RawBodyResult } from '../webhooks/receiver-types.js';
export type {
  FastifyLike,
  FastifyReplyLike,
  FastifyRequestLike,
  FastifyWebhookRouteOptions,
} from './fastify-route.js';
export { registerFastifyWebhookRoute } from './fastify-route.js';
export type { PinoLikeLogger } from './pino-logger.js';
export { fromPinoLogger, isLoggerOn } from './pino-logger.js';
export type { NodeWebhookRequest } from './read-body.js';
export { readRawBody } from './read-body.js';
export { serveWebhook } from './serve.js';
export { writeWebhookResponse } from './write-response.js';
