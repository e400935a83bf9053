import { once } from 'node:events';
import { createServer, type Socket } from 'node:net';
import { createWebhookHandler, type SessionProcessedEvent, silentLogger } from '@pasis/core';
import { generateWebhookSecret, signWebhook } from '@pasis/core/testing';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPostgresStore, migrate, type PostgresTransaction } from './index.js';
import { databaseForTests } from './test-support/database.js';

const secret = generateWebhookSecret();
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const codeOf = (body: string) => (JSON.parse(body) as { error?: { code: string } }).error?.code;
let sessions = 0;
const paid = (): SessionProcessedEvent => ({
  kind: 'session:processed',
  session_id: `sess_fault_${++sessions}`,
  amount: 5000,
  status: 'success',
});

/** Polls `check` every 20 ms until it holds, for at most `ms`. */
async function eventually(check: () => boolean, ms = 5000): Promise<boolean> {
  for (const started = Date.now(); Date.now() - started < ms; await sleep(20)) if (check()) return true;
  return check();
}

const database = await databaseForTests('PostgreSQL store under faults');

describe.runIf(database !== undefined)('the PostgreSQL store on a pg Pool under faults', () => {
  let admin: pg.Pool;
  beforeAll(async () => {
    admin = database!.pool({ max: 2 });
    await migrate(admin);
    await admin.query('CREATE TABLE payments (session_id text NOT NULL, amount integer NOT NULL)');
  });
  afterAll(() => database!.drop());

  const receiver = (
    pool: pg.Pool,
    on: (tx: PostgresTransaction<unknown>) => unknown = () => {},
    commandTimeoutMs = 5000,
  ) => {
    const runs: string[] = [];
    const store = createPostgresStore({
      db: pool,
      commandTimeoutMs,
      pruneIntervalMs: 0,
      logger: silentLogger,
    });
    const webhooks = createWebhookHandler({
      secret,
      store,
      logger: silentLogger,
      on: {
        'session:processed': async (event, ctx) => {
          runs.push(ctx.deliveryId);
          await ctx.tx.query('INSERT INTO payments (session_id, amount) VALUES ($1, $2)', [
            event.session_id,
            event.amount,
          ]);
          await on(ctx.tx);
        },
      },
    });
    return { webhooks, runs };
  };
  const payments = async (event: SessionProcessedEvent) =>
    Number(
      (await admin.query('SELECT count(*) AS n FROM payments WHERE session_id = $1', [event.session_id]))
        .rows[0].n,
    );

  it('answers 503 within commandTimeoutMs when the pool has no free connection, and returns the late one', async () => {
    const pool = database!.pool({ max: 1 });
    const held = await pool.connect();
    const { webhooks, runs } = receiver(pool, undefined, 300);
    const delivery = signWebhook(paid(), { secret });
    const answer = await webhooks.handle(delivery);
    expect([answer.status, codeOf(answer.body)]).toEqual([503, 'store_unavailable']);
    expect(runs).toEqual([]);
    held.release();
    // The connection the timed-out claim was still waiting for goes straight back.
    expect(await eventually(() => pool.waitingCount === 0 && pool.idleCount === 1)).toBe(true);
    expect((await webhooks.handle(delivery)).status).toBe(200);
  });

  it('answers 503 within commandTimeoutMs when the database accepts connections and never answers', async () => {
    const sockets: Socket[] = [];
    const silent = createServer((socket) => void sockets.push(socket)).listen(0, '127.0.0.1');
    await once(silent, 'listening');
    const { port } = silent.address() as { port: number };
    const pool = new pg.Pool({ host: '127.0.0.1', port, user: 'x', database: 'x' });
    pool.on('error', () => {});
    try {
      const { webhooks, runs } = receiver(pool, undefined, 300);
      const started = Date.now();
      const answer = await webhooks.handle(signWebhook(paid(), { secret }));
      expect([answer.status, codeOf(answer.body)]).toEqual([503, 'store_unavailable']);
      expect(Date.now() - started).toBeLessThan(10_000);
      expect(runs).toEqual([]);
    } finally {
      for (const socket of sockets) socket.destroy();
      silent.close();
      await pool.end().catch(() => {});
    }
  });

  it('answers 503 when the connection dies while the handler runs: no crash, nothing kept, the pool stays healthy', async () => {
    const pool = database!.pool({ max: 1 });
    let kill = true;
    const { webhooks } = receiver(pool, async (tx) => {
      if (!kill) return;
      const { rows } = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await admin.query('SELECT pg_terminate_backend($1)', [rows[0]!.pid]);
      // Let the server's FATAL reach the idle connection while the handler still runs: pg
      // emits it as an 'error' event, which crashed the process when nobody listened.
      await sleep(200);
    });
    const event = paid();
    const delivery = signWebhook(event, { secret });
    const answer = await webhooks.handle(delivery);
    expect(answer.status).toBe(503);
    expect(await payments(event)).toBe(0);
    kill = false;
    // The dead connection was destroyed, not handed to the next delivery.
    for (let i = 0; i < 3; i++)
      expect((await webhooks.handle(signWebhook(paid(), { secret }))).status).toBe(200);
    expect((await webhooks.handle(delivery)).status).toBe(200);
    expect(await payments(event)).toBe(1);
  });

  it('destroys a connection that is still busy after the delivery, instead of handing it to the next one', async () => {
    const pool = database!.pool({ max: 1 });
    let leave = true;
    const { webhooks } = receiver(
      pool,
      (tx) => {
        if (!leave) return;
        // A query the handler did not await is still running when the handler throws: the
        // ROLLBACK queues behind it and does not answer within commandTimeoutMs.
        void tx.query('SELECT pg_sleep(20)').catch(() => {});
        throw new Error('gave up');
      },
      300,
    );
    expect((await webhooks.handle(signWebhook(paid(), { secret }))).status).toBe(500);
    leave = false;
    const next = await webhooks.handle(signWebhook(paid(), { secret }));
    expect([next.status, codeOf(next.body)]).toEqual([200, undefined]);
  });

  it("keeps the store's lock_timeout inside the delivery's transaction: the pool's other users keep theirs", async () => {
    const pool = database!.pool({ max: 1 });
    const seen: unknown[] = [];
    const { webhooks } = receiver(pool, async (tx) => {
      seen.push((await tx.query('SHOW lock_timeout')).rows[0]!.lock_timeout);
    });
    expect((await webhooks.handle(signWebhook(paid(), { secret }))).status).toBe(200);
    expect(seen).toEqual(['5s']);
    expect((await pool.query('SHOW lock_timeout')).rows[0].lock_timeout).toBe('0');
  });

  it('tells a missing table apart: 503 with a hint to run migrate()', async () => {
    const pool = database!.pool({ max: 1 });
    const store = createPostgresStore({ db: pool, table: 'not_migrated', pruneIntervalMs: 0 });
    await expect(store.claim('k', { leaseMs: 1000 })).rejects.toMatchObject({
      code: 'store_unavailable',
      message: expect.stringContaining("run the store's migrate()"),
    });
    // The failed claim rolled back and gave its connection back.
    expect((await pool.query('SELECT 1 AS one')).rows[0].one).toBe(1);
  });
});
