import 'reflect-metadata';
import { Logger } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { describeLocation, type ShopDatabase, type ShopEnv, startDemoTracing } from '@pasis/example-shop-kit';
import { AppModule } from './app.module.js';
import { configureShopHttp } from './http-setup.js';
import { SHOP_DATABASE, SHOP_ENV } from './shop/shop.tokens.js';

await startDemoTracing(); // PASIS_DEMO_TRACE=1: print every span to the console

// The environment (and .env) is read and checked by ConfigModule; orders live in
// PostgreSQL at DATABASE_URL, else PGlite in .data/nestjs (SHOP_DATA_DIR).
const app = await NestFactory.create<NestExpressApplication>(AppModule.register());
configureShopHttp(app); // body limits and server timeouts, as the other shops
app.enableShutdownHooks(); // SIGTERM/SIGINT: the reconciler stops, then the database closes
const env = app.get<ShopEnv>(SHOP_ENV);
await app.listen(env.PORT, env.HOST);
const logger = new Logger('Shop');
logger.log(`Nest shop on http://${env.HOST}:${env.PORT} (Pasis at ${env.PASIS_BASE_URL})`);
logger.log(`Orders: ${describeLocation(app.get<ShopDatabase>(SHOP_DATABASE).location)}`);
