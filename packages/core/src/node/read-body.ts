import type { IncomingMessage } from 'node:http';
import type { RawBodyResult } from '../webhooks/receiver-types.js';

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

const TOO_LARGE: RawBodyResult = Object.freeze({ kind: 'too_large' });
const UNREADABLE: RawBodyResult = Object.freeze({ kind: 'unreadable' });

/**
 * Whether another middleware already read the request's stream. Not `req.body !== undefined`:
 * body-parser 1.x sets `req.body = {}` even when it skipped the request. Internal to
 * `@pasis/core/node` (the Fastify route asks it before Fastify's reader would wait).
 *
 * @example
 * if (isBodyConsumed(req)) return answer({ kind: 'consumed', parsed: req.body });
 */
export function isBodyConsumed(req: NodeWebhookRequest): boolean {
  return req._body === true || req.readableEnded;
}

/**
 * Gets the raw bytes of a webhook request without ever waiting on a stream that another
 * middleware already read (the classic hang). Raw bytes saved by `express.raw()` or by an
 * `express.json({ verify })` hook are used as they are; otherwise the stream is read, and
 * reading stops as soon as it passes `limit` bytes. Never rejects: a stream that fails or
 * closes before its end is `unreadable`, one a parser read `consumed`. Hand the result to
 * `handle({ read, headers })` as it is: core answers each outcome. For adapters.
 *
 * @example
 * const read = await readRawBody(ctx.req, webhooks.maxBodyBytes);
 * const answer = await webhooks.handle({ read, headers: ctx.headers });
 */
export function readRawBody(req: NodeWebhookRequest, limit: number): Promise<RawBodyResult> {
  return new Promise((resolve) => readRawBodyThen(req, limit, resolve));
}

/**
 * {@link readRawBody} with a callback, called exactly once (synchronously when the answer
 * needs no reading): serveWebhook hands the result straight to core, one promise and one
 * turn of the microtask queue fewer per delivery than awaiting it. Internal to
 * `@pasis/core/node`.
 *
 * @example
 * readRawBodyThen(req, webhooks.maxBodyBytes, (read) => void webhooks.handle({ read, headers: req.headers }));
 */
export function readRawBodyThen(
  req: NodeWebhookRequest,
  limit: number,
  resolve: (result: RawBodyResult) => void,
): void {
  const known = answerWithoutReading(req, limit);
  if (known !== undefined) {
    resolve(known);
    return;
  }
  readStream(req, limit, resolve);
}

/** What a request comes to without reading its stream, if anything. */
function answerWithoutReading(req: NodeWebhookRequest, limit: number): RawBodyResult | undefined {
  if (Buffer.isBuffer(req.body)) return { kind: 'bytes', body: req.body };
  if (Buffer.isBuffer(req.rawBody)) return { kind: 'bytes', body: req.rawBody };
  if (isBodyConsumed(req)) return { kind: 'consumed', parsed: req.body };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return TOO_LARGE;
  if (req.destroyed) return UNREADABLE;
  return undefined;
}

/** Reads the stream, stopping past `limit` bytes; `resolve` is called once. */
function readStream(req: NodeWebhookRequest, limit: number, resolve: (result: RawBodyResult) => void): void {
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
      finish(TOO_LARGE);
      return;
    }
    chunks.push(chunk);
  };
  const onEnd = () => finish({ kind: 'bytes', body: Buffer.concat(chunks, size) });
  // 'close' before 'end' is a sender that went away without an error event: without it,
  // the promise would wait forever.
  const onBroken = () => finish(UNREADABLE);
  req.on('data', onData);
  req.on('end', onEnd);
  req.on('error', onBroken);
  req.on('close', onBroken);
}
