import { createWebhookHandler, silentLogger } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import mysql, { type PoolConnection } from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSqlStore, fromMysql2 } from './index.js';
import { databaseFor } from './test-support/servers.js';

// InnoDB's silent rollback: a deadlock victim's whole transaction is rolled back, and a
// handler that catches the error and goes on would have its COMMIT commit nothing. The store
// must answer 503, never a false 200: by the SELECT before the COMMIT (dialect mysql), or by
// the check that commits (dialect mariadb), which also reads @@in_transaction.
const secret = generateWebhookSecret();
const database = await databaseFor('mysql', 'deadlock victims on MariaDB');

/** Makes `tx` the victim of a deadlock with a heavier transaction on `other`; resolves once it was. */
async function deadlock(tx: PoolConnection, other: PoolConnection): Promise<unknown> {
  await other.query('START TRANSACTION');
  // InnoDB rolls back the transaction that changed fewer rows: the other one changes many.
  await other.query(`INSERT INTO heavy VALUES ${Array.from({ length: 50 }, (_, i) => `(${i})`).join(', ')}`);
  await other.query('UPDATE locks SET n = n + 1 WHERE id = 2');
  await tx.query('UPDATE locks SET n = n + 1 WHERE id = 1');
  const waiting = other.query('UPDATE locks SET n = n + 1 WHERE id = 1');
  await new Promise((resolve) => setTimeout(resolve, 200));
  const failure = await tx.query('UPDATE locks SET n = n + 1 WHERE id = 2').then(
    () => undefined,
    (error: unknown) => error,
  );
  await waiting;
  await other.query('ROLLBACK');
  return failure;
}

for (const dialect of ['mysql', 'mariadb'] as const) {
  describe.runIf(database)(`a handler that catches its deadlock and goes on (mysql2, ${dialect})`, () => {
    let pool: mysql.Pool;
    beforeAll(async () => {
      pool = mysql.createPool({ uri: database!.url, connectionLimit: 10 });
      await pool.query('DROP TABLE IF EXISTS payments, locks, heavy');
      await pool.query('CREATE TABLE payments (session_id varchar(100) PRIMARY KEY) ENGINE=InnoDB');
      await pool.query('CREATE TABLE locks (id int PRIMARY KEY, n int NOT NULL) ENGINE=InnoDB');
      await pool.query('INSERT INTO locks VALUES (1, 0), (2, 0)');
      await pool.query('CREATE TABLE heavy (id int PRIMARY KEY) ENGINE=InnoDB');
    });
    afterAll(async () => {
      await pool?.end();
      if (dialect === 'mariadb') await database!.drop();
    });

    const receiver = (
      table: string,
      onDeadlock: (tx: PoolConnection, other: PoolConnection) => Promise<void>,
    ) => {
      let victim = true;
      const store = createSqlStore({ db: fromMysql2(pool, { dialect }), table, pruneIntervalMs: 0 });
      const webhooks = createWebhookHandler({
        secret,
        logger: silentLogger,
        store,
        on: {
          'session:processed': async (paid, ctx) => {
            await ctx.tx.query('INSERT INTO payments VALUES (?)', [paid.session_id]);
            if (!victim) return;
            const other = await pool.getConnection();
            try {
              const failure = await deadlock(ctx.tx, other);
              expect((failure as { code?: string }).code).toBe('ER_LOCK_DEADLOCK');
              await onDeadlock(ctx.tx, other);
            } finally {
              other.release();
            }
          },
        },
      });
      return {
        store,
        handle: (...args: Parameters<typeof webhooks.handle>) => webhooks.handle(...args),
        recover: () => (victim = false),
      };
    };
    const payments = async () => (await pool.query('SELECT session_id FROM payments'))[0];

    it('is answered 503 and keeps nothing; the redelivery runs the handler again', async () => {
      const { store, handle, recover } = receiver(`deadlock_${dialect}`, async () => {});
      await store.migrate();
      const session = `sess_deadlock_${dialect}`;
      const delivery = signWebhook(
        { kind: 'session:processed', session_id: session, amount: 5000, status: 'success' },
        { secret, id: `msg_deadlock_${dialect}` },
      );
      const first = await handle(delivery);
      expect([first.status, JSON.parse(first.body).error.code]).toEqual([503, 'store_unavailable']);
      expect(await payments()).toEqual([]);
      recover();
      expect(JSON.parse((await handle(delivery)).body)).toEqual({ ok: true, outcome: 'handled' });
      expect(await payments()).toEqual([{ session_id: session }]);
      await pool.query('DELETE FROM payments');
    });

    // The mysql dialect's SELECT alone would pass here: the check that commits reads @@in_transaction too.
    if (dialect === 'mariadb')
      it('is answered 503 when a duplicate committed the key after the rollback (the record alone would pass)', async () => {
        const table = 'deadlock_duplicate';
        const { store, handle } = receiver(table, async (tx, other) => {
          // What a concurrent duplicate would have done since: committed the same key.
          const [rows] = await other.query(`SELECT COUNT(*) AS n FROM ${table}`);
          expect(rows).toEqual([{ n: 0 }]);
          await other.query(`INSERT INTO ${table} (dedupe_key) SELECT dedupe_key FROM ${table}_keys`);
          void tx;
        });
        await store.migrate();
        await pool.query(`CREATE TABLE ${table}_keys (dedupe_key VARBINARY(255) NOT NULL)`);
        const session = 'sess_deadlock_duplicate';
        await pool.query(`INSERT INTO ${table}_keys VALUES (?)`, [`session:processed/${session}/success`]);
        const delivery = signWebhook(
          { kind: 'session:processed', session_id: session, amount: 5000, status: 'success' },
          { secret, id: 'msg_deadlock_duplicate' },
        );
        const first = await handle(delivery);
        expect([first.status, JSON.parse(first.body).error.code]).toEqual([503, 'store_unavailable']);
        expect(await payments()).toEqual([]);
      });
  });
}
