import {
  databaseLocation,
  describeLocation,
  openShopDatabase,
  readShopEnv,
  shopConfig,
} from '@pasis/example-shop-kit';
import { createApp } from './app.js';
import { startDemoTracing } from '@pasis/example-shop-kit';

await startDemoTracing(); // PASIS_DEMO_TRACE=1: print every span to the console

const env = readShopEnv();
// PostgreSQL at DATABASE_URL, else PGlite in .data/fastify (SHOP_DATA_DIR): orders survive a restart.
const location = databaseLocation(env, { folder: new URL('..', import.meta.url), framework: 'fastify' });
const database = await openShopDatabase(location);
const app = await createApp({ ...shopConfig(env), database, fastifyLogger: { level: 'info' } });
await app.listen({ port: env.PORT, host: env.HOST });
app.log.info(`Orders: ${describeLocation(location)}`);

let stopping = false;
async function shutdown() {
  if (stopping) return;
  stopping = true;
  // In this order: app.close() stops the reconciler (its onClose hook), then the database.
  // (Fastify runs onClose hooks last-added first, so the database is not one of them.)
  await app.close();
  await database.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
