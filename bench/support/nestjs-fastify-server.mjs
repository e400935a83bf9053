// A server process: a Nest app on platform-fastify answering POST /webhook as ours, the
// baseline or the limit (see nest-sides.mjs). On Fastify, @pasis/nestjs serves the webhook
// as a Fastify route with its own content-type parser (the same one as @pasis/fastify).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter } from '@nestjs/platform-fastify';
import { mountLimit, nestModule } from './nest-sides.mjs';
import { ready, serverData } from './server-process.mjs';

// No rawBody: on Fastify it swaps Nest's JSON parser for one that keeps the bytes too, which
// would slow the bare baseline for nothing (ours and the limit have their own parser).
const app = await NestFactory.create(nestModule(serverData.side, serverData.secret), new FastifyAdapter(), {
  rawBody: false,
  logger: false,
});
if (serverData.side === 'limit') await mountLimit(app, serverData.secret);
await app.listen(0, '127.0.0.1');
ready(app.getHttpServer().address().port);
