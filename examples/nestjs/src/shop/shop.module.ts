import {
  type DynamicModule,
  Inject,
  Injectable,
  Logger,
  Module,
  type OnApplicationShutdown,
  type Provider,
} from '@nestjs/common';
import { ConfigModule, ConfigService } from '@nestjs/config';
import { APP_FILTER } from '@nestjs/core';
import type { PasisLogger } from '@pasis/core';
import {
  createOrderStore,
  databaseLocation,
  openShopDatabase,
  readShopEnv,
  SHOP_ENV_KEYS,
  type ShopDatabase,
  type ShopEnv,
} from '@pasis/example-shop-kit';
import { ORDER_STORE, SHOP_DATABASE, SHOP_ENV, SHOP_LOGGER } from './shop.tokens.js';
import { ShopExceptionFilter } from './shop-exception.filter.js';

/** What the shop module is given instead of what it would make itself (tests). */
export interface ShopModuleOptions {
  /** An open database, closed by whoever opened it. Default: opened from the environment, closed on shutdown. */
  database?: ShopDatabase;
  logger?: PasisLogger;
}

/** Whether this module opened the database (and so closes it). */
const OWNS_DATABASE = Symbol('OWNS_DATABASE');

/** The package folder (src/shop/ → examples/nestjs/), home of the default data dir. */
const SHOP_FOLDER = new URL('../..', import.meta.url);

function nestLogger(): PasisLogger {
  const nest = new Logger('Shop');
  return {
    debug: (message) => nest.debug(message),
    info: (message) => nest.log(message),
    warn: (message) => nest.warn(message),
    error: (message, meta) =>
      nest.error(message, meta?.error instanceof Error ? meta.error.stack : undefined),
  };
}

/** Closes the database on shutdown when this module opened it (after `beforeApplicationShutdown`: the reconciler has stopped). */
@Injectable()
class DatabaseCloser implements OnApplicationShutdown {
  constructor(
    @Inject(SHOP_DATABASE) private readonly database: ShopDatabase,
    @Inject(OWNS_DATABASE) private readonly owned: boolean,
  ) {}

  async onApplicationShutdown(): Promise<void> {
    if (this.owned) await this.database.close();
  }
}

/**
 * The shop's environment (read through `ConfigService`, checked by shop-kit), its database
 * and its orders, for the whole app.
 */
@Module({})
export class ShopModule {
  /** The global module; `options.database` instead of opening one (tests). */
  static register(options: ShopModuleOptions = {}): DynamicModule {
    const providers: Provider[] = [
      {
        provide: SHOP_ENV,
        inject: [ConfigService],
        useFactory: (config: ConfigService): ShopEnv =>
          readShopEnv(Object.fromEntries(SHOP_ENV_KEYS.map((key) => [key, config.get(key)]))),
      },
      { provide: SHOP_LOGGER, useValue: options.logger ?? nestLogger() },
      {
        provide: SHOP_DATABASE,
        inject: [SHOP_ENV, SHOP_LOGGER],
        useFactory: (env: ShopEnv, logger: PasisLogger) =>
          options.database ??
          // PostgreSQL at DATABASE_URL, else PGlite in .data/nestjs (SHOP_DATA_DIR): orders survive a restart.
          openShopDatabase(databaseLocation(env, { folder: SHOP_FOLDER, framework: 'nestjs' }), { logger }),
      },
      { provide: OWNS_DATABASE, useValue: options.database === undefined },
      { provide: ORDER_STORE, inject: [SHOP_DATABASE], useFactory: createOrderStore },
      DatabaseCloser,
      // Every error of the shop's routes: bad input is a 4xx, nothing logged holds the body.
      { provide: APP_FILTER, useClass: ShopExceptionFilter },
    ];
    return {
      module: ShopModule,
      global: true,
      imports: [ConfigModule], // ConfigService, as AppModule's ConfigModule.forRoot() set it up
      providers,
      exports: [SHOP_ENV, SHOP_LOGGER, SHOP_DATABASE, ORDER_STORE],
    };
  }
}
