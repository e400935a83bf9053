import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { PGlite } from '@electric-sql/pglite';
import { defaultLogger, type PasisLogger, type WebhookContext } from '@pasis/core';
import {
  createPostgresStore,
  type DatabaseClient,
  migrate,
  type PostgresStore,
  type PostgresTransaction,
} from '@pasis/postgres';
import type pg from 'pg';
import { lockDataDir } from './data-dir-lock.js';
import type { DatabaseLocation } from './location.js';
import { SCHEMA_SQL } from './schema.js';

/** The driver behind the shop's database: a `pg` Pool, or PGlite. */
export type ShopDriver = pg.Pool | PGlite;

/** A delivery's transaction (`ctx.tx`): the order, its payment and the dedupe record commit in it. */
export type ShopTransaction = PostgresTransaction<DatabaseClient<ShopDriver>>;

/** What the shop's webhook handlers receive as `ctx`. */
export type ShopWebhookContext = WebhookContext<ShopTransaction>;

/** Anything that runs one statement: the database itself, or a delivery's `ctx.tx`. */
export interface Sql {
  query<Row = Record<string, unknown>>(
    sql: string,
    params?: readonly unknown[],
  ): Promise<{ rows: Row[]; rowCount: number }>;
}

/**
 * The shop's database, its schema created. `query` runs outside any delivery (pages, the
 * checkout, the reconciler's list); a webhook handler writes through its `ctx.tx` only:
 * on PGlite (one connection) a query through the database from inside a handler would
 * wait for the handler's own transaction, forever.
 */
export interface ShopDatabase extends Sql {
  readonly location: DatabaseLocation;
  readonly driver: ShopDriver;
  /** The webhook dedupe store on this database: `createPostgresStore({ db })`. */
  readonly webhookStore: PostgresStore<DatabaseClient<ShopDriver>>;
  /** Stops the store's pruning and closes the pool (or PGlite, releasing its data dir). */
  close(): Promise<void>;
}

/** Options of {@link openShopDatabase}. */
export interface OpenShopDatabaseOptions {
  /** Where the webhook store's problems (pruning failures, a starved PGlite) and pool errors go. Default: core's `defaultLogger`. */
  logger?: PasisLogger;
}

interface Opened {
  driver: ShopDriver;
  query: Sql['query'];
  exec(sql: string): Promise<unknown>;
  end(): Promise<void>;
}

async function openPool(url: string, logger: PasisLogger): Promise<Opened> {
  const { default: pgModule } = await import('pg');
  const pool = new pgModule.Pool({
    connectionString: url,
    max: 20, // deliveries at once (each holds a connection) + pages
    connectionTimeoutMillis: 5_000, // a starved pool fails fast (503, retried) instead of hanging
    idleTimeoutMillis: 30_000,
  });
  // pg emits 'error' for an idle connection the server dropped: without a listener, the process dies.
  pool.on('error', (error) => logger.warn('PostgreSQL: an idle connection failed', { error }));
  return {
    driver: pool,
    async query<Row>(sql: string, params?: readonly unknown[]) {
      const result = await pool.query(sql, params as unknown[] | undefined);
      return { rows: result.rows as Row[], rowCount: result.rowCount ?? result.rows.length };
    },
    exec: (sql) => pool.query(sql), // no parameters: several statements in one round trip
    end: () => pool.end(),
  };
}

async function openPGlite(dataDir: string): Promise<Opened> {
  const { PGlite } = await import('@electric-sql/pglite'); // WASM: loaded only when used
  mkdirSync(dataDir, { recursive: true });
  const unlock = lockDataDir(dataDir);
  try {
    const db = new PGlite(join(dataDir, 'pglite'));
    await db.waitReady;
    return {
      driver: db,
      async query<Row>(sql: string, params?: readonly unknown[]) {
        const result = await db.query<Row>(sql, params as unknown[] | undefined);
        return { rows: result.rows, rowCount: result.affectedRows ?? result.rows.length };
      },
      exec: (sql) => db.exec(sql),
      end: async () => {
        await db.close();
        unlock();
      },
    };
  } catch (error) {
    unlock();
    throw error;
  }
}

/**
 * Opens the shop's database and creates what is missing of its schema: the shop's tables
 * and the webhook store's (`migrate()` of `@pasis/postgres`). Idempotent, and safe from
 * several processes starting at once on one PostgreSQL.
 *
 * @example
 * const database = await openShopDatabase(databaseLocation(process.env, { folder, framework: 'express' }));
 * // … the shop …
 * await database.close();
 */
export async function openShopDatabase(
  location: DatabaseLocation,
  options: OpenShopDatabaseOptions = {},
): Promise<ShopDatabase> {
  const logger = options.logger ?? defaultLogger;
  const opened =
    location.kind === 'postgresql'
      ? await openPool(location.url, logger)
      : await openPGlite(location.dataDir);
  let webhookStore: ShopDatabase['webhookStore'];
  try {
    await opened.exec(SCHEMA_SQL);
    await migrate(opened.driver);
    webhookStore = createPostgresStore({ db: opened.driver, logger });
  } catch (error) {
    await opened.end().catch(() => {});
    throw error;
  }
  return {
    location,
    driver: opened.driver,
    webhookStore,
    query: opened.query,
    async close() {
      await webhookStore.close();
      await opened.end();
    },
  };
}
