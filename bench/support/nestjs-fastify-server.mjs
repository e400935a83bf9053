// A server process: a Nest app on platform-fastify answering POST /webhook as ours, the
// baseline or the limit (see nest-sides.mjs). On Fastify, @pasis/nestjs serves the webhook
// as a Fastify route with its own content-type parser (the same one as @pasis/fastify).
import 'reflect-metadata';
import { ready, serverData } from './server-process.mjs';
import { nestModule } from './nest-sides.mjs';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';

// rawBody only where it is used, the limit: on Fastify it swaps Nest's JSON parser for one
// that keeps the bytes too, which would slow the bare baseline for nothing (ours has its own
// parser on its route either way).
const app = await NestFactory.create(nestModule(serverData.side, serverData.secret), new FastifyAdapter(), {
  rawBody: serverData.side === 'limit',
  logger: false,
});
await app.listen(0, '127.0.0.1');
ready(app.getHttpServer().address().port);
