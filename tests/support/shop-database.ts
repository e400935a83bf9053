import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '@pasis/core';
import { type DatabaseLocation, openShopDatabase, type ShopDatabase } from '@pasis/example-shop-kit';
import { databaseForTests, postgresForTests } from '../../packages/postgres/src/test-support/database.js';

/** The two kinds of database a shop runs on. */
export type Backend = 'postgresql' | 'pglite';

/** A shop's database in a test, and how to read it from outside the shop. */
export interface TestShopDatabase {
  database: ShopDatabase;
  location: DatabaseLocation;
  /** Payment rows of one order. */
  payments(orderId: string): Promise<{ amount: number; delivery_id: string }[]>;
  /** Whether the webhook store holds this dedupe key. */
  hasDedupeRecord(key: string): Promise<boolean>;
  /** Closes the database and removes it (the PostgreSQL database, or PGlite's temp dir). */
  drop(): Promise<void>;
}

/**
 * The backends a suite can run on here: PGlite always, PostgreSQL when
 * `PASIS_TEST_DATABASE_URL` is set (skipped loudly without it; an error under `CI=true`).
 */
export function backendsForTests(suite: string): Backend[] {
  return postgresForTests(suite) ? ['postgresql', 'pglite'] : ['pglite'];
}

/**
 * A fresh, empty shop database of its own, schema created: a new PostgreSQL database (on the
 * test server) or PGlite in a new temp dir. Each suite gets its own, so no test sees
 * another's orders.
 */
export async function shopDatabaseForTests(backend: Backend, suite: string): Promise<TestShopDatabase> {
  let location: DatabaseLocation;
  let remove: () => Promise<void>;
  if (backend === 'postgresql') {
    const server = await databaseForTests(suite);
    if (!server) throw new Error(`${suite}: no PostgreSQL (PASIS_TEST_DATABASE_URL)`);
    location = { kind: 'postgresql', url: server.url };
    remove = () => server.drop();
  } else {
    const dataDir = mkdtempSync(join(tmpdir(), 'pasis-shop-'));
    location = { kind: 'pglite', dataDir };
    remove = async () => rmSync(dataDir, { recursive: true, force: true });
  }
  const database = await openShopDatabase(location, { logger: silentLogger });
  return {
    database,
    location,
    async payments(orderId) {
      const { rows } = await database.query<{ amount: number; delivery_id: string }>(
        'SELECT amount, delivery_id FROM payments WHERE order_id = $1',
        [orderId],
      );
      return rows;
    },
    async hasDedupeRecord(key) {
      const { rows } = await database.query('SELECT 1 FROM pasis_webhook_deliveries WHERE dedupe_key = $1', [
        key,
      ]);
      return rows.length > 0;
    },
    async drop() {
      await database.close();
      await remove();
    },
  };
}
