import { Redis } from 'ioredis';
import { createRedisStore } from '@pasis/redis';
import { readShopEnv } from '@pasis/example-shop-kit';
import { createApp } from './app.js';
import { startDemoTracing } from '@pasis/example-shop-kit';

await startDemoTracing(); // PASIS_DEMO_TRACE=1: print every span to the console

const env = readShopEnv();
const logger = {
  debug: () => {},
  info: (message: string) => console.log(message),
  warn: (message: string) => console.warn(message),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta?.error ?? ''),
};
// Several instances share deliveries through Redis; one instance is fine in memory.
const redis = env.REDIS_URL
  ? new Redis(env.REDIS_URL, { maxRetriesPerRequest: 1, enableOfflineQueue: false })
  : undefined;
const app = createApp({
  pasis: { appId: env.PASIS_APP_ID, baseUrl: env.PASIS_BASE_URL, webhookSecret: env.PASIS_WEBHOOK_SECRET },
  webhookStore: redis ? createRedisStore({ client: redis }) : undefined,
  logger,
});
const server = app.listen(env.PORT, env.HOST, () => {
  console.log(`Express shop on http://${env.HOST}:${env.PORT} (Pasis at ${env.PASIS_BASE_URL})`);
});

function shutdown() {
  server.close(() => {
    redis?.disconnect();
    process.exit(0);
  });
  server.closeAllConnections();
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
