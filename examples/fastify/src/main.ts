import { createRedisStore } from '@pasis/redis';
import { Redis } from 'ioredis';
import { readShopEnv } from '@pasis/example-shop-kit';
import { createApp } from './app.js';
import { startDemoTracing } from '@pasis/example-shop-kit';

await startDemoTracing(); // PASIS_DEMO_TRACE=1: print every span to the console

const env = readShopEnv();
// Several instances share deliveries through Redis; one instance is fine in memory.
const redis = env.REDIS_URL
  ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : undefined;
const app = await createApp({
  pasis: { appId: env.PASIS_APP_ID, baseUrl: env.PASIS_BASE_URL, webhookSecret: env.PASIS_WEBHOOK_SECRET },
  webhookStore: redis ? createRedisStore({ client: redis }) : undefined,
  fastifyLogger: { level: 'info' },
});
await app.listen({ port: env.PORT, host: env.HOST });

async function shutdown() {
  await app.close();
  redis?.disconnect();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
