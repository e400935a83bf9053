import type { IncomingMessage } from 'node:http';

/**
 * A Node request as a framework may leave it: maybe with a body that another parser read.
 * Shared by the adapters built on `node:http` (Express, Nest on Express, Fastify parsers).
 */
export interface NodeWebhookRequest extends IncomingMessage {
  body?: unknown;
  /** Where `express.json({ verify: (req, _res, buf) => { req.rawBody = buf } })` keeps the bytes. */
  rawBody?: unknown;
  /** Set by body-parser (and so by express.json/urlencoded/raw/text) once it read the stream. */
  _body?: boolean;
}

/** What reading gave: the bytes, or why there are none. */
export type RawBodyResult =
  | { kind: 'bytes'; body: Buffer }
  | { kind: 'too_large' }
  /** Another parser consumed the stream and kept no raw bytes: core answers `body_already_parsed`. */
  | { kind: 'consumed'; parsed: unknown };

/** Turns a {@link RawBodyResult} into what core's `handle` takes. */
export function toWebhookBody(read: RawBodyResult): { body: unknown; bodyTooLarge: boolean } {
  if (read.kind === 'bytes') return { body: read.body, bodyTooLarge: false };
  if (read.kind === 'consumed') return { body: read.parsed, bodyTooLarge: false };
  return { body: undefined, bodyTooLarge: true };
}

/**
 * Gets the raw bytes of a webhook request without ever waiting on a stream that another
 * middleware already read (the classic hang). For adapters; not needed by applications. Raw bytes saved by `express.raw()` or by an
 * `express.json({ verify })` hook are used as they are; otherwise the stream is read, and
 * reading stops as soon as it passes `limit` bytes.
 */
export async function readRawBody(req: NodeWebhookRequest, limit: number): Promise<RawBodyResult> {
  if (Buffer.isBuffer(req.body)) return { kind: 'bytes', body: req.body };
  if (Buffer.isBuffer(req.rawBody)) return { kind: 'bytes', body: req.rawBody };
  // Not `req.body !== undefined`: body-parser 1.x sets `req.body = {}` even when it skipped the request.
  if (req._body === true || req.readableEnded) return { kind: 'consumed', parsed: req.body };
  const declared = Number(req.headers['content-length']);
  if (Number.isFinite(declared) && declared > limit) return { kind: 'too_large' };

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', onError);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        // Stop here: nothing past the limit is read into memory.
        cleanup();
        req.pause();
        resolve({ kind: 'too_large' });
        return;
      }
      chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve({ kind: 'bytes', body: Buffer.concat(chunks, size) });
    };
    const onError = (error: Error) => {
      cleanup();
      reject(error);
    };
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('error', onError);
  });
}
