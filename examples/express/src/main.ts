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
const logger = {
  debug: () => {},
  info: (message: string) => console.log(message),
  warn: (message: string) => console.warn(message),
  error: (message: string, meta?: Record<string, unknown>) => console.error(message, meta?.error ?? ''),
};
// PostgreSQL at DATABASE_URL, else PGlite in .data/express (SHOP_DATA_DIR): orders survive a restart.
const location = databaseLocation(env, { folder: new URL('..', import.meta.url), framework: 'express' });
const database = await openShopDatabase(location, { logger });
const shop = createApp({ ...shopConfig(env), database, logger });
const running = await shop.listen(env.PORT, env.HOST);
console.log(`Express shop on ${running.url} (Pasis at ${env.PASIS_BASE_URL})`);
console.log(`Orders: ${describeLocation(location)}`);

stopOnSignals(async () => {
  await running.close(); // the reconciler first, then the server
  await database.close();
});
