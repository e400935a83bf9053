import {
  databaseLocation,
  describeLocation,
  openShopDatabase,
  readShopEnv,
  shopConfig,
} from '@pasis/example-shop-kit';
import { createApp } from './app.js';

const env = readShopEnv();
// PostgreSQL at DATABASE_URL, else PGlite in .data/fastify (SHOP_DATA_DIR): orders survive a restart.
const location = databaseLocation(env, { folder: new URL('..', import.meta.url), framework: 'fastify' });
const app = await createAppOnDatabase();
await app.listen({ port: env.PORT, host: env.HOST });
app.log.info(`Orders: ${describeLocation(location)}`);

async function createAppOnDatabase() {
  const database = await openShopDatabase(location);
  const shop = await createApp({ ...shopConfig(env), database, fastifyLogger: { level: 'info' } });
  shop.addHook('onClose', () => database.close()); // after the reconciler's own onClose
  return shop;
}

async function shutdown() {
  await app.close();
  process.exit(0);
}
process.once('SIGINT', shutdown);
process.once('SIGTERM', shutdown);
