// A server process: a Nest app (platform-express) answering POST /webhook as ours, the
// baseline or the limit (see nest-sides.mjs).
import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { mountLimit, nestModule } from './nest-sides.mjs';
import { ready, serverData } from './server-process.mjs';

// rawBody: neither ours nor the limit needs it (both read their own bytes ahead of Nest's
// parsers); kept on every side, as in earlier runs, so that the ratios compare across runs.
const app = await NestFactory.create(nestModule(serverData.side, serverData.secret), {
  rawBody: true,
  logger: false,
});
if (serverData.side === 'limit') await mountLimit(app, serverData.secret);
await app.listen(0, '127.0.0.1');
ready(app.getHttpServer().address().port);
