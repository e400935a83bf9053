import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { type Client, createClient } from '@libsql/client';
import { isPasisError } from '@pasis/core';
import { describeReconcileLeaseConformance } from '@pasis/core/testing';
import mysql from 'mysql2/promise';
import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createSqlReconcileLease,
  fromLibsql,
  fromMysql2,
  fromPGlite,
  fromPg,
  type SqlBridge,
} from './index.js';
import { databaseFor, testPool } from './test-support/servers.js';

// The reconcile lease on each database through its plain driver. Each "instance" of the
// suite has a client of its own where the database has several connections.
const long = (base: string) => `${base}_${'x'.repeat(300)}`;

/** Declares the suite on `bridge()` (one per instance), and the long-id test. */
function describeLease<Tx>(name: string, bridge: () => SqlBridge<Tx>) {
  describeReconcileLeaseConformance({
    describe,
    it,
    name: `createSqlReconcileLease (${name})`,
    makeLease: () => createSqlReconcileLease({ db: bridge(), commandTimeoutMs: 20_000 }),
  });
  it(`createSqlReconcileLease (${name}) keeps ids longer than the column apart`, async () => {
    const base = `cs_long_${process.pid}_${Date.now()}`;
    const ids = [long(base), `${long(base)}_2`];
    const lease = createSqlReconcileLease({ db: bridge(), commandTimeoutMs: 20_000 });
    expect([...(await lease.claim(ids, { leaseMs: 60_000 }))].sort()).toEqual([...ids].sort());
    expect(await lease.claim(ids, { leaseMs: 60_000 })).toEqual([]);
  });
}

const postgres = await databaseFor('postgres', 'createSqlReconcileLease on pg');
describe.runIf(postgres)('createSqlReconcileLease on pg Pools', () => {
  const pools: pg.Pool[] = [];
  const bridge = () => {
    const pool = testPool(postgres!.url, { max: 2 });
    pools.push(pool);
    return fromPg(pool);
  };
  beforeAll(() => createSqlReconcileLease({ db: bridge() }).migrate());
  afterAll(async () => {
    await Promise.all(pools.map((pool) => pool.end()));
    await postgres!.drop();
  });
  describeLease('pg', bridge);
});

describe('createSqlReconcileLease on PGlite', () => {
  it('says to run its migrate() when the table is missing', async () => {
    const lease = createSqlReconcileLease({ db: fromPGlite(db), table: 'no_such_leases' });
    const error = await lease.claim(['cs_x'], { leaseMs: 1_000 }).catch((e: unknown) => e);
    expect(isPasisError(error, 'store_unavailable')).toBe(true);
    expect((error as Error).message).toContain(
      "no_such_leases is missing: run the lease's migrate() (or @pasis/sql/sql/postgres-reconcile-leases.sql)",
    );
  });

  let db: PGlite;
  beforeAll(async () => {
    db = new PGlite();
    await db.waitReady;
    await createSqlReconcileLease({ db: fromPGlite(db) }).migrate();
  });
  afterAll(() => db?.close());
  describeLease('PGlite', () => fromPGlite(db));
});

const mariadb = await databaseFor('mysql', 'createSqlReconcileLease on mysql2');
for (const dialect of ['mysql', 'mariadb'] as const) {
  describe.runIf(mariadb)(
    `createSqlReconcileLease on mysql2 Pools, MariaDB server, dialect ${dialect}`,
    () => {
      const pools: mysql.Pool[] = [];
      const bridge = () => {
        const pool = mysql.createPool({ uri: mariadb!.url, connectionLimit: 2 });
        pools.push(pool);
        return fromMysql2(pool, { dialect });
      };
      beforeAll(() => createSqlReconcileLease({ db: bridge() }).migrate());
      afterAll(async () => {
        await Promise.all(pools.map((pool) => pool.end()));
        if (dialect === 'mariadb') await mariadb!.drop();
      });
      describeLease(`mysql2, ${dialect}`, bridge);
    },
  );
}

describe('createSqlReconcileLease on libSQL (a SQLite file)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'pasis-libsql-lease-'));
  let client: Client;
  beforeAll(async () => {
    client = createClient({ url: `file:${join(dir, 'shop.db')}` });
    await createSqlReconcileLease({ db: fromLibsql(client) }).migrate();
  });
  afterAll(() => {
    client?.close();
    rmSync(dir, { recursive: true, force: true });
  });
  describeLease('libSQL', () => fromLibsql(client));
});
