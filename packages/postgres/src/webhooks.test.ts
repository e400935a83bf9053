import { type SessionProcessedEvent, silentLogger } from '@pasis/core';
import { dedupeKey } from '@pasis/core/adapter';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import { pasisWebhook } from '@pasis/express';
import express from 'express';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate, type PostgresDatabase, type PostgresTransaction } from './index.js';
import { type Backend, pgBackend, pgliteBackend } from './test-support/backends.js';
import { databaseForTests } from './test-support/database.js';
import { deliver, deliverUntilSettled, type Listening, listen } from './test-support/receiver.js';

const secret = generateWebhookSecret();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const PAYMENTS =
  'CREATE TABLE IF NOT EXISTS payments (id serial PRIMARY KEY, session_id text NOT NULL, delivery_id text NOT NULL, amount integer NOT NULL)';
let sessions = 0;
const paid = (): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: `sess_${process.pid}_${++sessions}`,
  amount: 5000,
  status: 'success',
});

type Behaviour = (event: SessionProcessedEvent, tx: PostgresTransaction<unknown>) => unknown;

function scenarios(name: string, setup: () => Promise<Backend>) {
  describe(`webhooks on the PostgreSQL store (${name})`, () => {
    let backend: Backend;
    const servers: Listening[] = [];
    beforeAll(async () => {
      backend = await setup();
      await migrate(backend.db);
      await backend.query(PAYMENTS);
    });
    afterAll(async () => {
      await Promise.all(servers.map((server) => server.close()));
      await backend?.close();
    });

    /** An Express shop whose handler records a payment through ctx.tx, then does `behaviour`. */
    async function shop(
      behaviour: Behaviour = () => {},
      db: PostgresDatabase = backend.db,
      lockTimeoutMs = 200,
    ) {
      const store = createPostgresStore({ db, lockTimeoutMs, pruneIntervalMs: 0, logger: silentLogger });
      const runs: string[] = [];
      const app = express();
      app.use(
        pasisWebhook({
          secret,
          store,
          logger: silentLogger,
          on: {
            'session:processed': async (event, ctx) => {
              runs.push(ctx.deliveryId);
              await ctx.tx.query(
                'INSERT INTO payments (session_id, delivery_id, amount) VALUES ($1, $2, $3)',
                [event.session_id, ctx.deliveryId, event.amount],
              );
              await behaviour(event, ctx.tx);
            },
          },
        }),
      );
      const server = await listen(app);
      servers.push(server);
      return { url: `${server.url}/webhook`, runs };
    }

    const count = async (sql: string, param: string) =>
      Number((await backend.query(sql, [param])).rows[0]!.n);
    const payments = (event: SessionProcessedEvent) =>
      count('SELECT count(*) AS n FROM payments WHERE session_id = $1', event.session_id);
    const records = (event: SessionProcessedEvent) =>
      count(
        'SELECT count(*) AS n FROM pasis_webhook_deliveries WHERE dedupe_key = $1',
        dedupeKey(event, 'unused for session:processed'),
      );

    it('a throwing handler gets 500 and leaves no payment and no dedupe record; its redelivery writes exactly one', async () => {
      let failing = true;
      const { url, runs } = await shop(() => {
        if (failing) throw new Error('the ledger is closed');
      });
      const event = paid();
      const delivery = signWebhook(event, { secret, id: 'msg_throws' });
      expect(await deliver(url, delivery)).toMatchObject({ status: 500, code: 'handler_failed' });
      expect([await payments(event), await records(event)]).toEqual([0, 0]);
      failing = false;
      expect(await deliver(url, delivery)).toMatchObject({ status: 200, outcome: 'handled' });
      expect(await deliver(url, delivery)).toMatchObject({ status: 200, outcome: 'duplicate' });
      expect([await payments(event), await records(event)]).toEqual([1, 1]);
      expect(runs).toEqual(['msg_throws', 'msg_throws']);
    });

    it('30 concurrent identical deliveries write once; each is answered 200 or 409, and every 409 retried ends 200', async () => {
      // The handler outlives the lock timeout, so the ones waiting on it give up with 409.
      const { url, runs } = await shop(() => sleep(1500));
      const event = paid();
      const delivery = signWebhook(event, { secret, id: 'msg_concurrent' });
      const first = await Promise.all(Array.from({ length: 30 }, () => deliver(url, delivery)));
      for (const answer of first) expect([200, 409]).toContain(answer.status);
      const conflicts = first.filter((answer) => answer.status === 409);
      expect(conflicts.length).toBeGreaterThan(0);
      for (const answer of conflicts) expect(answer.retryAfter).toBe('5');
      for (const _ of conflicts) {
        const answers = await deliverUntilSettled(url, delivery);
        expect(answers.at(-1)).toMatchObject({ status: 200, outcome: 'duplicate' });
      }
      expect(first.filter((answer) => answer.outcome === 'handled')).toHaveLength(1);
      expect(runs).toHaveLength(1);
      expect([await payments(event), await records(event)]).toEqual([1, 1]);
    });

    it('a handler that swallows a failed statement gets 503 and keeps nothing; its redelivery writes one', async () => {
      let swallow = true;
      const { url } = await shop(async (_event, tx) => {
        if (swallow) await tx.query('SELECT * FROM no_such_table').catch(() => {});
      });
      const event = paid();
      const delivery = signWebhook(event, { secret, id: 'msg_swallows' });
      expect(await deliver(url, delivery)).toMatchObject({ status: 503, code: 'store_unavailable' });
      expect([await payments(event), await records(event)]).toEqual([0, 0]);
      swallow = false;
      expect(await deliver(url, delivery)).toMatchObject({ status: 200, outcome: 'handled' });
      expect([await payments(event), await records(event)]).toEqual([1, 1]);
    });

    it('refuses ctx.tx once its delivery ended, so a stray query cannot land in another transaction', async () => {
      let kept: PostgresTransaction<unknown> | undefined;
      const { url } = await shop((_event, tx) => {
        kept = tx;
      });
      expect((await deliver(url, signWebhook(paid(), { secret }))).status).toBe(200);
      await expect(kept!.query('SELECT 1')).rejects.toMatchObject({
        name: 'PasisError',
        code: 'handler_failed',
      });
    });

    it('answers 503 without running the handler while the database is unreachable', async () => {
      const { url, runs } = await shop(undefined, await backend.unreachable());
      const answer = await deliver(url, signWebhook(paid(), { secret }));
      expect(answer).toMatchObject({ status: 503, code: 'store_unavailable' });
      expect(runs).toEqual([]);
    });
  });
}

const database = await databaseForTests('PostgreSQL store through webhooks');
if (database) scenarios('pg', async () => pgBackend(database));
else
  describe.skip('webhooks on the PostgreSQL store (pg): no PASIS_TEST_DATABASE_URL', () =>
    it('skipped', () => {}));
scenarios('PGlite', pgliteBackend);
