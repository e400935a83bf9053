import {
  databaseLocation,
  describeLocation,
  openShopDatabase,
  readShopEnv,
  shopConfig,
  startDemoTracing,
  stopOnSignals,
} from '@pasis/example-shop-kit';
import { createApp } from './app.js';

await startDemoTracing(); // PASIS_DEMO_TRACE=1: print every span to the console

const env = readShopEnv();
// PostgreSQL at DATABASE_URL, else PGlite in .data/fastify (SHOP_DATA_DIR): orders survive a restart.
const location = databaseLocation(env, { folder: new URL('..', import.meta.url), framework: 'fastify' });
const database = await openShopDatabase(location);
const app = await createApp({ ...shopConfig(env), database, fastifyLogger: { level: 'info' } });
await app.listen({ port: env.PORT, host: env.HOST });
app.log.info(`Orders: ${describeLocation(location)}`);

stopOnSignals(async () => {
  // In this order: app.close() stops the reconciler (its onClose hook), then the database.
  // (Fastify runs onClose hooks last-added first, so the database is not one of them.)
  await app.close();
  await database.close();
});
