import type { EventEmitter } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import type { PasisLogger } from '../logging/logger.js';
import { DEFAULT_BODY_TIMEOUT_MS } from '../webhooks/options.js';
import type { RawBodyResult, WebhookReceiver } from '../webhooks/receiver-types.js';
import { createArrivalWatch } from './arrival-watch.js';
import { fromPinoLogger, type PinoLikeLogger } from './pino-logger.js';
import { isBodyConsumed, type NodeWebhookRequest, readRawBody } from './read-body.js';

// The few Fastify methods the route uses, typed structurally: core does not depend on
// fastify, and `@pasis/fastify` and Nest's FastifyAdapter may bring different copies of it.

/** The part of a Fastify request the webhook route reads. */
export interface FastifyRequestLike {
  headers: IncomingHttpHeaders;
  body?: unknown;
  raw: NodeWebhookRequest;
  log: PinoLikeLogger;
}

/** The part of a Fastify reply the webhook route writes. */
export interface FastifyReplyLike {
  /** Whether an answer went out already. */
  readonly sent: boolean;
  code(status: number): FastifyReplyLike;
  headers(headers: Record<string, string>): FastifyReplyLike;
  send(body: string): FastifyReplyLike;
}

type Done<T> = (error: null, value: T) => void;

/**
 * A Fastify 5 instance, as far as the caller's types go. Loose on purpose: Fastify's own,
 * heavily overloaded types fit no small structural type, and `@pasis/fastify` and Nest's
 * FastifyAdapter may bring different copies of fastify. What the route uses of it is
 * {@link FastifyScope}.
 */
export interface FastifyLike {
  register(plugin: never): unknown;
}

/** The Fastify methods the route uses. */
interface FastifyScope {
  register(plugin: (child: FastifyScope) => Promise<void>): unknown;
  removeAllContentTypeParsers(): void;
  addContentTypeParser(
    contentType: string,
    options: { parseAs: 'buffer'; bodyLimit: number },
    parser: (request: FastifyRequestLike, body: Buffer, done: Done<Buffer>) => void,
  ): void;
  setErrorHandler(
    handler: (
      error: Error & { code?: string },
      request: FastifyRequestLike,
      reply: FastifyReplyLike,
    ) => unknown,
  ): void;
  post(
    path: string,
    options: {
      preParsing: (
        request: FastifyRequestLike,
        reply: FastifyReplyLike,
        payload: unknown,
        done: Done<unknown>,
      ) => void;
    },
    handler: (request: FastifyRequestLike, reply: FastifyReplyLike) => unknown,
  ): void;
}

/**
 * Options of {@link registerFastifyWebhookRoute}.
 *
 * @example
 * const route: FastifyWebhookRouteOptions = { path: '/webhook', webhooks, logger: undefined }; // request.log
 */
export interface FastifyWebhookRouteOptions {
  /** The route's path, absolute (validated by `splitRouteOptions`). */
  path: string;
  /**
   * Core's receiver: its `maxBodyBytes` is the parser's `bodyLimit`, its `bodyTimeoutMs`
   * (default 10,000) how long a body may take to arrive.
   */
  webhooks: Pick<WebhookReceiver, 'handle' | 'maxBodyBytes'> &
    Partial<Pick<WebhookReceiver, 'bodyTimeoutMs'>>;
  /** Where every delivery logs. Default: the request's own logger (`request.log`). */
  logger?: PasisLogger;
}

// No body at all (no Content-Type, nothing sent): Fastify runs no parser. That is an
// empty body, which core answers from its table, not a parsed one.
const EMPTY: RawBodyResult = Object.freeze({ kind: 'bytes', body: Buffer.alloc(0) });
const TOO_LARGE: RawBodyResult = Object.freeze({ kind: 'too_large' });
const TIMED_OUT: RawBodyResult = Object.freeze({ kind: 'timed_out' });
// The code of the error the arrival timer hands Fastify's reader (never seen outside the route).
const BODY_TIMEOUT = 'PASIS_ERR_BODY_TIMEOUT';

const keepBytes = (_request: FastifyRequestLike, body: Buffer, done: Done<Buffer>) => done(null, body);

/**
 * Registers the webhook route in an encapsulated child context: only there is every
 * content type read as raw bytes, by Fastify's own bounded reader (so `preParsing` hooks
 * such as decompression still apply); the rest of the app keeps Fastify's JSON parsing.
 * What `@pasis/fastify` and `@pasis/nestjs` on platform-fastify both serve.
 *
 * Every answer is core's: a body over the limit (Fastify's `FST_ERR_CTP_BODY_TOO_LARGE`) is
 * handed to core for its 413; a body that a middleware (an Express body parser run through
 * `@fastify/middie`) consumed first is handed to core for its `body_already_parsed`, where
 * Fastify's reader would wait forever; a body still arriving `bodyTimeoutMs` after its headers
 * (a trickle holding the connection: Fastify sets no request timeout of its own) is cut off
 * and handed to core for its `body_timeout`, the connection then closed. Any other error on
 * the route (a throwing hook of the app's) goes to the app's error handler. Returns what
 * `fastify.register` returns.
 *
 * @example
 * await registerFastifyWebhookRoute(app, { path: '/webhook', webhooks });
 */
export function registerFastifyWebhookRoute(
  fastify: FastifyLike,
  options: FastifyWebhookRouteOptions,
): unknown {
  const { path, webhooks, logger } = options;
  const bodyTimeoutMs = webhooks.bodyTimeoutMs ?? DEFAULT_BODY_TIMEOUT_MS;
  // None when a logger was given. Fastify hands every request the same logger while its
  // logging is off (its default): the bridge, which holds nothing but that logger, is then
  // built once, not per delivery. A child logger per request (logging on) is a new bridge.
  let lastLog: PinoLikeLogger | undefined;
  let lastBridge: PasisLogger | undefined;
  const logOf = (request: FastifyRequestLike): PasisLogger => {
    if (logger !== undefined) return logger;
    if (request.log !== lastLog || lastBridge === undefined) {
      lastLog = request.log;
      lastBridge = fromPinoLogger(request.log);
    }
    return lastBridge;
  };

  // The route's one way out: what reading came to, handed to core; core's answer, written.
  async function answer(request: FastifyRequestLike, reply: FastifyReplyLike, read: RawBodyResult) {
    const { status, headers, body } = await webhooks.handle({
      read,
      headers: request.headers,
      logger: logOf(request),
    });
    return reply.code(status).headers(headers).send(body);
  }

  // Only Fastify's own body reader listens for 'error' on the payload, and only while it
  // reads: the error goes down its usual path (Connection: close, the route's error handler),
  // where core answers it. Nothing is emitted once the body has ended or an answer went out.
  const watchArrival = createArrivalWatch(bodyTimeoutMs, ({ reply, payload }) => {
    if (reply.sent || payload.listenerCount('error') === 0) return;
    payload.emit(
      'error',
      Object.assign(new Error('The webhook body arrived too slowly.'), { code: BODY_TIMEOUT }),
    );
  });

  // Callback style, and little work unless the stream was already read: this runs on every delivery.
  const refuseConsumed = (
    request: FastifyRequestLike,
    reply: FastifyReplyLike,
    payload: unknown,
    done: Done<unknown>,
  ) => {
    if (!isBodyConsumed(request.raw)) {
      watchArrival({ reply, payload: payload as EventEmitter });
      return done(null, payload);
    }
    // Not calling `done` ends Fastify's chain here; the answer (maybe bytes a middleware kept) is core's.
    readRawBody(request.raw, webhooks.maxBodyBytes)
      .then((read) => answer(request, reply, read))
      .catch((error: unknown) => request.log.error({ error }, 'Pasis webhook: the answer could not be sent'));
  };

  return (fastify as unknown as FastifyScope).register(async (child) => {
    child.removeAllContentTypeParsers();
    const parser = { parseAs: 'buffer', bodyLimit: webhooks.maxBodyBytes } as const;
    // 'application/json' by name as well as '*': Fastify caches exact matches, and would
    // otherwise parse the Content-Type header again on every delivery to find the catch-all.
    child.addContentTypeParser('application/json', parser, keepBytes);
    child.addContentTypeParser('*', parser, keepBytes);
    child.setErrorHandler((error, request, reply) => {
      if (error.code === 'FST_ERR_CTP_BODY_TOO_LARGE') return answer(request, reply, TOO_LARGE);
      if (error.code === BODY_TIMEOUT) return answer(request, reply, TIMED_OUT);
      throw error; // the app's own error handler
    });
    child.post(path, { preParsing: refuseConsumed }, (request, reply) =>
      answer(
        request,
        reply,
        request.body === undefined ? EMPTY : { kind: 'bytes', body: request.body as Buffer },
      ),
    );
  });
}
