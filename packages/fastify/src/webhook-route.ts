import type { WebhookHandler } from '@pasis/core';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { toPasisLogger } from './logger.js';

// No body at all (no Content-Type, nothing sent): Fastify runs no parser. That is an
// empty body, which core answers from its table, not a parsed one.
const EMPTY_BODY = Buffer.alloc(0);

const keepBytes = (_request: FastifyRequest, body: Buffer, done: (err: null, body: Buffer) => void) =>
  done(null, body);

/**
 * Hands the raw bytes (or, with `undefined`, "over the limit") to core and writes its
 * answer to the wire as it is: the status, headers and body all come from core.
 */
async function answer(
  webhooks: WebhookHandler,
  request: FastifyRequest,
  reply: FastifyReply,
  rawBody: Buffer | undefined,
) {
  const { status, headers, body } = await webhooks.handle({
    body: rawBody,
    bodyTooLarge: rawBody === undefined,
    headers: request.headers,
    logger: toPasisLogger(request.log),
  });
  return reply.code(status).headers(headers).send(body);
}

/**
 * Registers the webhook route in an encapsulated child context: only there is every
 * content type read as raw bytes, by Fastify's own bounded reader (so `preParsing` hooks
 * such as decompression still apply); the rest of the app keeps Fastify's JSON parsing.
 *
 * A body over the limit is not answered by Fastify: its `FST_ERR_CTP_BODY_TOO_LARGE` is
 * handed to core, which answers from the status table like every other outcome.
 */
export async function registerWebhookRoute(app: FastifyInstance, path: string, webhooks: WebhookHandler) {
  await app.register(async (child) => {
    child.removeAllContentTypeParsers();
    const parser = { parseAs: 'buffer', bodyLimit: webhooks.maxBodyBytes } as const;
    // 'application/json' by name as well as '*': Fastify caches exact matches, and would
    // otherwise parse the Content-Type header again on every delivery to find the catch-all.
    child.addContentTypeParser('application/json', parser, keepBytes);
    child.addContentTypeParser('*', parser, keepBytes);
    child.setErrorHandler((error: Error & { code?: string }, request, reply) => {
      if (error.code !== 'FST_ERR_CTP_BODY_TOO_LARGE') throw error; // the app's own error handler
      return answer(webhooks, request, reply, undefined);
    });
    child.post(path, (request, reply) =>
      answer(webhooks, request, reply, (request.body as Buffer | undefined) ?? EMPTY_BODY),
    );
  });
}
