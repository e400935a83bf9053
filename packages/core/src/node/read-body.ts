import type { IncomingMessage } from 'node:http';
import type { WebhookRequest } from '../webhooks/receiver-types.js';

/**
 * A Node request as a framework may leave it: maybe with a body that another parser read.
 * Shared by the adapters built on `node:http` (Express, Nest on Express, Koa, a Fastify hook).
 *
 * @example
 * app.use((req: NodeWebhookRequest, res, next) => void serveWebhook(webhooks, req, res));
 */
export interface NodeWebhookRequest extends IncomingMessage {
  body?: unknown;
  /** Where `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })` keeps the bytes. */
  rawBody?: unknown;
  /** Set by body-parser (and so by express.json/urlencoded/raw/text) once it read the stream. */
  _body?: boolean;
}

/**
 * What reading gave: the bytes, or why there are none.
 *
 * @example
 * const read = await readRawBody(req, webhooks.maxBodyBytes);
 * if (read.kind === 'bytes') console.log(read.body.byteLength);
 */
export type RawBodyResult =
  | { kind: 'bytes'; body: Buffer }
  | { kind: 'too_large' }
  /** Another parser consumed the stream and kept no raw bytes: core answers `body_already_parsed`. */
  | { kind: 'consumed'; parsed: unknown }
  /** The stream failed or was cut off before its end (the sender went away): `body_unreadable`. */
  | { kind: 'unreadable' };

/** The part of core's `WebhookRequest` that reading the body decides. */
export type WebhookBody = Pick<WebhookRequest, 'body' | 'bodyTooLarge' | 'bodyUnreadable' | 'bodyTimedOut'>;

// Built once: a delivery with no bytes to hand over costs no object.
const TOO_LARGE: WebhookBody = Object.freeze({ body: undefined, bodyTooLarge: true });
const UNREADABLE: WebhookBody = Object.freeze({ body: undefined, bodyUnreadable: true });

/**
 * Turns a {@link RawBodyResult} into what core's `handle` takes, so that every outcome of
 * reading is answered from core's status table.
 *
 * @example
 * const answer = await webhooks.handle({ ...toWebhookBody(await readRawBody(req, limit)), headers: req.headers });
 */
export function toWebhookBody(read: RawBodyResult): WebhookBody {
  switch (read.kind) {
    case 'bytes':
      return { body: read.body };
    case 'consumed':
      return { body: read.parsed };
    case 'too_large':
      return TOO_LARGE;
    default:
      return UNREADABLE;
  }
}

/**
 * Whether another middleware already read the request's stream. Not `req.body !== undefined`:
 * body-parser 1.x sets `req.body = {}` even when it skipped the request.
 *
 * @example
 * if (isBodyConsumed(req)) return answerWith(toWebhookBody({ kind: 'consumed', parsed: req.body }));
 */
export function isBodyConsumed(req: NodeWebhookRequest): boolean {
  return req._body === true || req.readableEnded;
}

/**
 * Gets the raw bytes of a webhook request without ever waiting on a stream that another
 * middleware already read (the classic hang). Raw bytes saved by `express.raw()` or by an
 * `express.json({ verify })` hook are used as they are; otherwise the stream is read, and
 * reading stops as soon as it passes `limit` bytes. Never rejects: a stream that fails or
 * closes before its end is `unreadable`. For adapters; applications do not need it.
 *
 * @example
 * const read = await readRawBody(ctx.req, webhooks.maxBodyBytes);
 */
export function readRawBody(req: NodeWebhookRequest, limit: number): Promise<RawBodyResult> {
  if (Buffer.isBuffer(req.body)) return Promise.resolve({ kind: 'bytes', body: req.body });
  if (Buffer.isBuffer(req.rawBody)) return Promise.resolve({ kind: 'bytes', body: req.rawBody });
  if (isBodyConsumed(req)) return Promise.resolve({ kind: 'consumed', parsed: req.body });
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return Promise.resolve({ kind: 'too_large' });
  if (req.destroyed) return Promise.resolve({ kind: 'unreadable' });

  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const finish = (result: RawBodyResult) => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onBroken);
      req.off('close', onBroken);
      resolve(result);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop here: nothing past the limit is read into memory.
        req.pause();
        finish({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => finish({ kind: 'bytes', body: Buffer.concat(chunks, size) });
    // 'close' before 'end' is a sender that went away without an error event: without it,
    // the promise would wait forever.
    const onBroken = () => finish({ kind: 'unreadable' });
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onBroken);
    req.on('close', onBroken);
  });
}
