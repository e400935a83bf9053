import { PGlite } from '@electric-sql/pglite';
import { createClient } from '@libsql/client';
import { createWebhookHandler, type SessionProcessedEvent } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import mysql from 'mysql2/promise';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createOutbox,
  createSqlStore,
  fromLibsql,
  fromMysql2,
  fromPGlite,
  fromPg,
  type SqlBridge,
} from '../index.js';
import { databaseFor, testPool } from '../test-support/servers.js';

const secret = generateWebhookSecret();
let sessions = 0;
const paid = (): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: `sess_outbox_${++sessions}`,
  amount: 5000,
  status: 'success',
});
const quiet = { debug() {}, info() {}, warn() {}, error() {} };
type Payloads = { receipt: { session: string } };

interface Setup {
  bridge: SqlBridge<unknown>;
  /** Rows left in pasis_outbox. */
  left(): Promise<number>;
  close(): Promise<void>;
}

function outboxScenarios(name: string, open: () => Promise<Setup>, concurrentWorkers: boolean) {
  describe(`the outbox on ${name}`, () => {
    let setup: Setup;
    beforeAll(async () => {
      setup = await open();
      await createSqlStore({ db: setup.bridge }).migrate();
      await createOutbox({ db: setup.bridge }).migrate();
    });
    afterAll(() => setup?.close());

    it("writes the effect in the delivery's transaction: none for a failed attempt, one for the committed one, sent once", async () => {
      const outbox = createOutbox<Payloads>({ db: setup.bridge, logger: quiet });
      let fail = true;
      const webhooks = createWebhookHandler({
        secret,
        logger: quiet,
        store: createSqlStore({ db: setup.bridge, pruneIntervalMs: 0 }),
        on: {
          'session:processed': async (event, ctx) => {
            await outbox.add(ctx.tx, 'receipt', { session: event.session_id });
            if (fail) throw new Error('the handler fails after adding its effect');
          },
        },
      });
      const event = paid();
      const delivery = signWebhook(event, { secret, id: `msg_${event.session_id}` });
      expect((await webhooks.handle(delivery)).status).toBe(500);
      expect(await setup.left()).toBe(0);
      fail = false;
      expect((await webhooks.handle(delivery)).status).toBe(200);
      expect((await webhooks.handle(delivery)).status).toBe(200); // a duplicate adds nothing
      expect(await setup.left()).toBe(1);
      const sent: unknown[] = [];
      expect(
        await outbox.drain({ receipt: (payload, effect) => void sent.push([payload, effect.attempt]) }),
      ).toBe(1);
      expect(await outbox.drain({ receipt: (payload) => void sent.push(payload) })).toBe(0);
      expect(sent).toEqual([[{ session: event.session_id }, 1]]);
      expect(await setup.left()).toBe(0);
    });

    it('retries a failing effect with a growing delay, then leaves it in the table after maxAttempts', async () => {
      const errors: string[] = [];
      const logger = { ...quiet, error: (message: string) => void errors.push(message) };
      const outbox = createOutbox<Payloads>({ db: setup.bridge, logger, maxAttempts: 3, retryDelayMs: 1 });
      await setup.bridge.transaction((tx) => outbox.add(tx, 'receipt', { session: 'sess_flaky' }));
      const attempts: number[] = [];
      const handlers = {
        receipt: (_payload: unknown, effect: { attempt: number }) => {
          attempts.push(effect.attempt);
          throw new Error('the SMS gateway is down');
        },
      };
      for (let round = 0; round < 20 && attempts.length < 3; round++) {
        await outbox.drain(handlers);
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await outbox.drain(handlers); // no more attempts
      expect(attempts).toEqual([1, 2, 3]);
      expect(errors.at(-1)).toMatch(/failed 3 times; it stays in pasis_outbox, no longer tried/);
      expect(await setup.left()).toBe(1);
    });

    it.runIf(concurrentWorkers)('never sends an effect twice with two workers draining at once', async () => {
      const outbox = createOutbox<Payloads>({ db: setup.bridge, logger: quiet, batchSize: 5 });
      await setup.bridge.transaction(async (tx) => {
        for (let i = 0; i < 40; i++) await outbox.add(tx, 'receipt', { session: `sess_many_${i}` });
      });
      const sent: string[] = [];
      const handler = { receipt: async (payload: { session: string }) => void sent.push(payload.session) };
      const [a, b] = await Promise.all([
        createOutbox<Payloads>({ db: setup.bridge, logger: quiet, batchSize: 5 }).drain(handler),
        createOutbox<Payloads>({ db: setup.bridge, logger: quiet, batchSize: 5 }).drain(handler),
      ]);
      expect(a + b).toBe(40);
      expect(new Set(sent).size).toBe(40);
      expect(sent.length).toBe(40);
    });
  });
}

const count = (rows: unknown) => Number((rows as { n: unknown }[])[0]!.n);
const postgres = await databaseFor('postgres', 'the outbox on pg');
if (postgres) {
  outboxScenarios(
    'pg',
    async () => {
      const pool = testPool(postgres.url);
      return {
        bridge: fromPg(pool) as SqlBridge<unknown>,
        left: async () => count((await pool.query('SELECT count(*) AS n FROM pasis_outbox')).rows),
        close: async () => {
          await pool.end();
          await postgres.drop();
        },
      };
    },
    true,
  );
}
const mariadb = await databaseFor('mysql', 'the outbox on MariaDB');
if (mariadb) {
  outboxScenarios(
    'MariaDB',
    async () => {
      const pool = mysql.createPool({ uri: mariadb.url });
      return {
        bridge: fromMysql2(pool, { dialect: 'mariadb' }) as SqlBridge<unknown>,
        left: async () => count((await pool.query('SELECT count(*) AS n FROM pasis_outbox'))[0]),
        close: async () => {
          await pool.end();
          await mariadb.drop();
        },
      };
    },
    true,
  );
}
outboxScenarios(
  'PGlite',
  async () => {
    const db = new PGlite();
    return {
      bridge: fromPGlite(db) as SqlBridge<unknown>,
      left: async () => count((await db.query('SELECT count(*) AS n FROM pasis_outbox')).rows),
      close: () => db.close(),
    };
  },
  true,
);
outboxScenarios(
  'libSQL',
  async () => {
    const client = createClient({ url: ':memory:' });
    return {
      bridge: fromLibsql(client) as SqlBridge<unknown>,
      left: async () => count((await client.execute('SELECT count(*) AS n FROM pasis_outbox')).rows),
      close: async () => client.close(),
    };
  },
  true,
);
