import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { createRedisStore } from '@pasis/redis';
import { Redis } from 'ioredis';
import { AppModule } from './app.module.js';
import { startDemoTracing } from '@pasis/example-shop-kit';

await startDemoTracing(); // PASIS_DEMO_TRACE=1: print every span to the console

const port = Number(process.env.PORT ?? 3000);
const host = process.env.HOST ?? '127.0.0.1';
// Several instances share deliveries through Redis; one instance is fine in memory.
const redis = process.env.REDIS_URL
  ? new Redis(process.env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : undefined;
const app = await NestFactory.create(
  AppModule.register({ webhookStore: redis ? createRedisStore({ client: redis }) : undefined }),
);
app.enableShutdownHooks();
await app.listen(port, host);
console.log(
  `Nest shop on http://${host}:${port} (Pasis at ${process.env.PASIS_BASE_URL ?? 'https://checkout.pasis.rw'})`,
);
process.once('SIGTERM', () => redis?.disconnect());
process.once('SIGINT', () => redis?.disconnect());
