import type { IncomingMessage } from 'node:http';
import { type RawBodyResult, readRawBody, toWebhookBody, type WebhookHandler } from '@pasis/core';
import type { FastifyInstance } from 'fastify';
import { toPasisLogger } from './logger.js';

/**
 * Reads the raw bytes of any content type with core's bounded reader, rather than
 * `parseAs: 'buffer'`: Fastify's `bodyLimit` would answer 413 with its own body, and every
 * status must come from core's table.
 */
function rawBytesParser(limit: number) {
  return (_request: unknown, payload: IncomingMessage, done: (err: Error | null, body?: unknown) => void) => {
    readRawBody(payload, limit).then(
      (read) => done(null, read),
      (error: Error) => done(error),
    );
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
      // No body at all (no Content-Type, nothing sent): Fastify runs no parser; that is an
      // empty body, not a parsed one.
      const read = (request.body as RawBodyResult | undefined) ?? { kind: 'bytes', body: Buffer.alloc(0) };
      const answer = await webhooks.handle({
        ...toWebhookBody(read),
        headers: request.headers,
        logger: toPasisLogger(request.log),
      });
      return reply.code(answer.status).headers(answer.headers).send(answer.body);
    });
  });
}
