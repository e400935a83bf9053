import type { IncomingMessage } from 'node:http';
import type { WebhookHandler } from '@pasis/core';
import type { FastifyInstance } from 'fastify';
import { toPasisLogger } from './logger.js';

/** Marks a body that passed the limit: reading stopped there, core answers 413. */
const TOO_LARGE = Symbol('@pasis/fastify body too large');
const EMPTY = Buffer.alloc(0);

/**
 * Reads the raw bytes of any content type, stopping as soon as they pass `limit`. A
 * parser of our own rather than `parseAs: 'buffer'`: Fastify's `bodyLimit` would answer
 * 413 with its own body, and every status must come from core's table.
 */
function rawBytesParser(limit: number) {
  return (_request: unknown, payload: IncomingMessage, done: (err: Error | null, body?: unknown) => void) => {
    const declared = Number(payload.headers['content-length']);
    if (Number.isFinite(declared) && declared > limit) return done(null, TOO_LARGE);
    const chunks: Buffer[] = [];
    let size = 0;
    let finished = false;
    const finish = (body: unknown, error: Error | null = null) => {
      if (finished) return;
      finished = true;
      payload.off('data', onData);
      done(error, body);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        payload.pause();
        return finish(TOO_LARGE);
      }
      chunks.push(chunk);
    };
    payload.on('data', onData);
    payload.once('end', () => finish(Buffer.concat(chunks, size)));
    payload.once('error', (error) => finish(undefined, error));
  };
}

/**
 * Registers the webhook route in an encapsulated child context: only there is every
 * content type read as raw bytes; the rest of the app keeps Fastify's JSON parsing.
 */
export async function registerWebhookRoute(app: FastifyInstance, path: string, webhooks: WebhookHandler) {
  await app.register(async (child) => {
    child.removeAllContentTypeParsers();
    child.addContentTypeParser('*', rawBytesParser(webhooks.maxBodyBytes));
    child.post(path, async (request, reply) => {
      const body = request.body;
      const answer = await webhooks.handle({
        // No body at all (no Content-Type, nothing sent) is an empty body, not a parsed one.
        body: body === TOO_LARGE ? undefined : (body ?? EMPTY),
        bodyTooLarge: body === TOO_LARGE,
        headers: request.headers,
        logger: toPasisLogger(request.log),
      });
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
  });
}
