import { describeStoreConformance } from '@pasis/core/testing';
import { describe, expect, it } from 'vitest';
import type { SqlBridge } from '../bridge.js';
import { createSqlStore } from '../index.js';

// Short, so the waiting tests stay quick; the suite only asserts its lower bound. MySQL's
// lock wait counts whole seconds.
export const LOCK_TIMEOUT_MS = { postgres: 400, sqlite: 400, mysql: 1000, mariadb: 1000 } as const;

/** The test table the conformance writes go to: no unique key, so a write done twice shows. */
export const WRITES_TABLE = {
  postgres: 'CREATE TABLE IF NOT EXISTS conformance_writes (id serial PRIMARY KEY, value text NOT NULL)',
  mysql:
    'CREATE TABLE IF NOT EXISTS conformance_writes (id int AUTO_INCREMENT PRIMARY KEY, value varchar(300) NOT NULL)',
  sqlite:
    'CREATE TABLE IF NOT EXISTS conformance_writes (id INTEGER PRIMARY KEY AUTOINCREMENT, value TEXT NOT NULL)',
} as const;

/** What a pair (ORM or driver × database) gives the conformance suite. */
export interface Pair<Tx> {
  name: string;
  bridge: SqlBridge<Tx>;
  /** Inserts `value` into conformance_writes through the ORM, in `tx`. */
  write: (tx: Tx, value: string) => Promise<void>;
  /** How many rows hold `value`, read outside any delivery. */
  count: (value: string) => Promise<number>;
}

/** Declares the store conformance suite of `createSqlStore` on one pair (set up by `pair()` before the tests). */
export function describeSqlConformance<Tx>(
  name: string,
  dialect: keyof typeof LOCK_TIMEOUT_MS,
  pair: () => Pair<Tx>,
) {
  const lockTimeoutMs = LOCK_TIMEOUT_MS[dialect];
  describeStoreConformance<Tx>({
    describe,
    it,
    name: `createSqlStore (${name})`,
    kind: 'transactional',
    lockTimeoutMs,
    concurrency: 25,
    // A generous command timeout: a loaded 2-core machine may stall a step for seconds.
    makeStore: () =>
      createSqlStore({ db: pair().bridge, lockTimeoutMs, pruneIntervalMs: 0, commandTimeoutMs: 20_000 }),
    write: (tx, value) => pair().write(tx, value),
    isCommitted: async (value) => (await pair().count(value)) > 0,
    countWrites: (value) => pair().count(value),
  });

  // Keys are written as literals: every character a webhook id or session id may hold must
  // stay inside its quotes, and a key longer than the column is stored as its hash.
  it(`createSqlStore (${name}) keeps keys with quotes, backslashes, ? and long ones apart`, async () => {
    const store = createSqlStore({
      db: pair().bridge,
      lockTimeoutMs,
      pruneIntervalMs: 0,
      commandTimeoutMs: 20_000,
    });
    const unique = `${process.pid}_${Date.now()}`;
    const keys = [
      `delivery/it's_${unique}`,
      `delivery/back\\slash\\_${unique}`,
      `delivery/what?_${unique}`,
      `delivery/${'x'.repeat(300)}_${unique}`,
      `delivery/${'x'.repeat(300)}_${unique}_2`,
    ];
    for (const key of keys) {
      const claim = await store.claim(key, { leaseMs: 1000 });
      expect(claim.state).toBe('claimed');
      await store.complete(key, (claim as { token: string }).token, { ttlMs: 1 });
    }
    for (const key of keys) expect(await store.claim(key, { leaseMs: 1000 })).toEqual({ state: 'completed' });
  });
}
